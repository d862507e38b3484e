-- GET /api/v1/requests/{id} with a bearer token, each call a random request of the
-- caller's municipality. ratio.sh writes the ids (one per line) and passes the token:
--   wrk -t2 -c16 -d10s -s read_request.lua http://127.0.0.1:8095 -- TOKEN IDS_FILE
local ids = {}
local token

function init(args)
  token = args[1]
  for line in io.lines(args[2]) do
    ids[#ids + 1] = line
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/api/v1/requests/" .. id, { ["Authorization"] = "Bearer " .. token })
end

function done(summary, latency, requests)
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("wrk: %d calls, %d failed, %.0f req/s, p50 %.2f ms, p99 %.2f ms\n",
    summary.requests, failed, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
