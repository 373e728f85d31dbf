-- GET /{linkId} for link ids drawn at random from the file TRACKLY_LINK_IDS (one a line),
-- as a phone's browser: every click is a person's, so first clicks are decided too.
dofile("bench/wrk/common.lua")
wrk.headers["User-Agent"] =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
local ids = {}
for line in io.lines(os.getenv("TRACKLY_LINK_IDS")) do
  ids[#ids + 1] = line
end
local thread_seed = 0
function setup(thread)
  thread_seed = thread_seed + 1
  thread:set("seed", thread_seed)
end
function init()
  math.randomseed(os.time() * 1000 + (seed or 0))
end
request = function()
  return wrk.format("GET", "/" .. ids[math.random(#ids)])
end
