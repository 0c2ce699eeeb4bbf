-- wrk script: POST the public reporting form (/report), as a reporter's browser sends it.
-- Each request differs (a counter in the narrative) so no two complaints are identical.
-- Counts the answers by status; a 201 is a receipt code shown to the reporter.
local counter = 0
local statuses = {}

request = function()
  counter = counter + 1
  local body = "lang=fr&reporter_relation=witness&prefecture=OMP&town=Bimbo&when=2026-11-02" ..
    "&victim_age_group=adult&victim_sex=female&perpetrator=military&identity=anonymous" ..
    "&narrative=Synthetic+benchmark+narrative+number+" .. counter ..
    "+about+an+event+near+the+market%2C+told+by+a+witness."
  return wrk.format("POST", "/report",
    { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("latency_p50_ms %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("latency_p90_ms %.2f\n", latency:percentile(90) / 1000))
  io.write(string.format("latency_p95_ms %.2f\n", latency:percentile(95) / 1000))
  io.write(string.format("latency_p99_ms %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("latency_max_ms %.2f\n", latency.max / 1000))
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("errors %d\n", summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout + summary.errors.status))
  io.write(string.format("per_second %.1f\n", summary.requests / (summary.duration / 1e6)))
end
