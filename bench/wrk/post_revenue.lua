-- POST /api/v2/revenue, spread over the offers in TRACKLY_OFFERS as real conversions are.
dofile("bench/wrk/common.lua")
local ids = {}
for id in string.gmatch(os.getenv("TRACKLY_OFFERS"), "[^,]+") do
  ids[#ids + 1] = id
end
local counter = 0
request = function()
  counter = counter + 1
  local body = '{"offer_id":"' .. ids[(counter % #ids) + 1] .. '","revenue":"24.99","event_type":"sale"}'
  local headers = {["Content-Type"] = "application/json", ["X-Api-Key"] = wrk.headers["X-Api-Key"]}
  return wrk.format("POST", "/api/v2/revenue", headers, body)
end
