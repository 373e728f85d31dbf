-- GET /{linkId} for link ids drawn at random from the file TRACKLY_LINK_IDS (one a line),
-- as a phone's browser: every click is a person's, so first clicks are decided too.
-- Each thread formats its requests once, before the clock starts (wrk runs `init` ahead
-- of the run), so a request costs the load generator a table lookup, not a formatting:
-- the measurement is the server's, as with the fixed request of get.lua.
dofile("bench/wrk/common.lua")
wrk.headers["User-Agent"] =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
local requests = {}
local thread_seed = 0
function setup(thread)
  thread_seed = thread_seed + 1
  thread:set("seed", thread_seed)
end
function init()
  math.randomseed(os.time() * 1000 + (seed or 0))
  for line in io.lines(os.getenv("TRACKLY_LINK_IDS")) do
    requests[#requests + 1] = wrk.format("GET", "/" .. line)
  end
end
request = function()
  return requests[math.random(#requests)]
end
