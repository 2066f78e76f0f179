-- report.lua - the one summary line every bench script prints at the end.
--
--   result requests=N seconds=S rps=R errors=E status=E p50_ms=.. p99_ms=..
--
-- errors counts socket errors and timeouts; status counts answers that
-- were not 2xx or 3xx.  bench/run.sh reads this line, never wrk's prose.

function done(summary, latency, requests)
	local e = summary.errors
	local secs = summary.duration / 1e6

	io.write(string.format("result requests=%d seconds=%.3f rps=%.2f " ..
	    "errors=%d status=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f " ..
	    "mean_ms=%.3f max_ms=%.3f\n",
	    summary.requests, secs, summary.requests / secs,
	    e.connect + e.read + e.write + e.timeout, e.status,
	    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
	    latency:percentile(99) / 1000, latency.mean / 1000,
	    latency.max / 1000))
end
