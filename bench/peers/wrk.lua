-- Unique Telegram text updates for wrk (one thread): each request a new update_id and a new chat.
--   wrk -t1 -c32 -d10s -s bench/peers/wrk.lua http://127.0.0.1:PORT/webhooks/telegram -- FIRST_ID SECRET
-- `done` prints one JSON line that bench.peers.load reads.

local next_id, secret = 0, ""
local text = "\\u0111\\u01a1n HM1001 t\\u1edbi \\u0111\\u00e2u r\\u1ed3i shop?"
local body = '{"update_id":%d,"message":{"message_id":%d,"date":%d,"text":"%s",'
  .. '"chat":{"id":%d,"type":"private","first_name":"Lan"},'
  .. '"from":{"id":%d,"is_bot":false,"first_name":"Lan","language_code":"vi"}}}'

function init(args)
  next_id = tonumber(args[1])
  secret = args[2]
end

function request()
  next_id = next_id + 1
  local headers = {["Content-Type"] = "application/json", ["X-Telegram-Bot-Api-Secret-Token"] = secret}
  return wrk.format("POST", nil, headers, string.format(body, next_id, next_id, os.time(), text, next_id, next_id))
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"requests": %d, "non_2xx": %d, "errors": %d, "seconds": %f, "p99_ms": %f}\n',
    summary.requests, summary.errors.status, errors, summary.duration / 1e6, latency:percentile(99) / 1000))
end
