-- wrk script for tools/load-test.sh: POSTs a mix of accepted and rejected payloads to the
-- newsletter signal, counts every status, stops each thread after its share of requests.
local path = "/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger"
local headers = { ["Authorization"] = "Bearer load", ["Content-Type"] = "application/json" }
local bodies = {
  '{"source": "load", "parameters": {"audience": "GoldMembers", "email": "Hi", "contentURL": "https://example.com/1"}}',
  '{"source": "load", "parameters": {"audience": "GoldMembers", "email": "Hi", "template": "newsletter_gold", "contentURL": "https://example.com/2"}}',
  '{"source": "load", "parameters": {"audience": "GoldMembers", "email": "Hi", "contentURL": "x", "contentUrl": "y"}}',
  '{"source": "load", "parameters": {"audience": "GoldMembers", "email": ',
  '{"source": "load", "parameters": {"audience": "GoldMembers", "email": "Hi", "template": "nope"}}',
}
local limit = 1e12
local i = 0
local n = 0
statuses = {}

init = function(args)
  if args[1] then limit = tonumber(args[1]) end
end

request = function()
  i = i + 1
  return wrk.format("POST", path, headers, bodies[(i % #bodies) + 1])
end

response = function(status, hdrs, body)
  statuses[status] = (statuses[status] or 0) + 1
  n = n + 1
  if n >= limit then wrk.thread:stop() end
end

local threads = {}
setup = function(thread) table.insert(threads, thread) end

done = function(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do total[k] = (total[k] or 0) + v end
  end
  local keys = {}
  for k in pairs(total) do table.insert(keys, k) end
  table.sort(keys)
  for _, k in ipairs(keys) do io.write(string.format("status %d: %d\n", k, total[k])) end
  local seconds = summary.duration / 1e6
  io.write(string.format("requests: %d in %.2f s = %.0f req/s; errors: connect %d, read %d, write %d, timeout %d\n",
    summary.requests, seconds, summary.requests / seconds,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
