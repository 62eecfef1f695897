-- wrk script for bench/portal.py: requests spread over the paths listed in $WRK_PATHS (one per
-- line); with $WRK_BUST set, each request gets a unique query parameter so no cache can answer.
-- done() prints one JSON line the bench reads.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local bust = os.getenv("WRK_BUST") ~= nil
local counter = 0

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed)
end

function request()
  local path = paths[math.random(#paths)]
  if bust then
    counter = counter + 1
    local sep = path:find("?", 1, true) and "&" or "?"
    path = path .. sep .. "_b=" .. seed .. "-" .. counter
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d}\n',
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, bad))
end
