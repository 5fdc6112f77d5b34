-- wrk script: POSTs grievances to the external intake API, each with its own reference, and
-- reports how many were acknowledged (201: committed before the answer) per second.
-- Usage: wrk -t2 -c32 -d8s -s scripts/intake.lua BASE_URL -- API_KEY RUN_ID
local threads = {}
local n = 0

function setup(thread)
  n = n + 1
  thread:set("tid", n)
  table.insert(threads, thread)
end

function init(args)
  key = args[1]
  run = args[2] or "run"
  counter = 0
  created = 0
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"system":"bench","reference":"%s-%d-%d","category":"pothole","description":"Pothole reported by the load test","ward":%d}',
    run, tid, counter, (counter % 67) + 1)
  return wrk.format("POST", "/api/v1/intake/external",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("created") end
  io.write(string.format("INTAKE %d %.3f %.2f\n", total, summary.duration / 1e6, latency:percentile(95) / 1000))
end
