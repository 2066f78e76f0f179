-- post_file.lua - POSTs the same JSON body on every request.
--
--   wrk -s post_file.lua URL -- BODY_FILE [HEADER: VALUE]...
--
-- The body is read once per thread; further arguments are request
-- headers.  Used for the libmicrohttpd + jansson ceiling.

dofile(os.getenv("BENCH_WRK") .. "/report.lua")

function init(args)
	local f = assert(io.open(args[1], "rb"))

	wrk.body = f:read("*a")
	f:close()
	for i = 2, #args do
		local k, v = args[i]:match("^([^:]+):%s*(.*)$")
		wrk.headers[k] = v
	end
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
end
