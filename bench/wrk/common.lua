-- Shared by every benchmark script: the API key, and pacing for the rate-limited runs
-- (WRK_DELAY_MS between a connection's requests).
wrk.headers["X-Api-Key"] = os.getenv("TRACKLY_KEY")
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")
if pause > 0 then
  function delay()
    return pause
  end
end
