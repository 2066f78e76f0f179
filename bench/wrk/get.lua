-- get.lua - GETs the URL's path on every request.
--
--   wrk -s get.lua URL -- [HEADER: VALUE]...
--
-- Arguments are request headers: a session cookie for the cabinet's
-- endpoints, a bearer token for the exchange's.

dofile(os.getenv("BENCH_WRK") .. "/report.lua")

function init(args)
	for i = 1, #args do
		local k, v = args[i]:match("^([^:]+):%s*(.*)$")
		wrk.headers[k] = v
	end
end
