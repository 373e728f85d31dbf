-- POST /api/v2/offers with the documentation's example body.
dofile("bench/wrk/common.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Summer Promo","tracking_url":"https://advertiser.com/track?click={click_id}",'
  .. '"external_platform":"tune","external_id":"1234","payout":2.50,'
  .. '"metadata":{"vertical":"ecommerce","geo":"US"}}'
