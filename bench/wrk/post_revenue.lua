-- POST /api/v2/revenue for the offer in TRACKLY_OFFER.
dofile("bench/wrk/common.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"offer_id":"' .. os.getenv("TRACKLY_OFFER") .. '","revenue":"24.99","event_type":"sale"}'
