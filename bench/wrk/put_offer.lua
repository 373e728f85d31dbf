-- PUT /api/v2/offers/{id}, cycling over the offers in TRACKLY_OFFERS so that
-- connections do not all wait on one row; each sets a payout and merges a metadata key.
dofile("bench/wrk/common.lua")
local ids = {}
for id in string.gmatch(os.getenv("TRACKLY_OFFERS"), "[^,]+") do
  ids[#ids + 1] = id
end
local counter = 0
request = function()
  counter = counter + 1
  local id = ids[(counter % #ids) + 1]
  local body = string.format('{"payout":"%d.25","metadata":{"k%d":"v"}}', counter % 100, counter % 40)
  local headers = {["Content-Type"] = "application/json", ["X-Api-Key"] = wrk.headers["X-Api-Key"]}
  return wrk.format("PUT", "/api/v2/offers/" .. id, headers, body)
end
