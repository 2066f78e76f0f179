-- upload.lua - devices uploading documents, each with a fresh uuid.
--
--   wrk -s upload.lua URL -- TEMPLATE NONCE TOKENS
--
-- TEMPLATE is a request body whose documents carry the uuid @UUID@
-- (bench-doc writes it); each request replaces every @UUID@ with a new
-- uuid made of NONCE (8 hex digits, one per run), the thread and a
-- counter, so no document is a duplicate.  TOKENS is a file of device
-- tokens, one a line; thread i sends as device i modulo their number.

dofile(os.getenv("BENCH_WRK") .. "/report.lua")

local counter = 0
local threads = 0
local tmpl, nonce, auth, tid

function setup(thread)
	thread:set("tid", threads)
	threads = threads + 1
end

function init(args)
	local f = assert(io.open(args[1], "rb"))
	local tokens = {}

	tmpl = f:read("*a")
	f:close()
	nonce = args[2]
	for line in io.lines(args[3]) do
		tokens[#tokens + 1] = line
	end
	tid = tonumber(wrk.thread:get("tid")) or 0
	auth = "Bearer " .. tokens[(tid % #tokens) + 1]
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
	wrk.headers["Authorization"] = auth
end

local function uuid()
	counter = counter + 1
	return string.format("%s-%04x-4000-8000-%012x", nonce, tid, counter)
end

function request()
	return wrk.format(nil, nil, nil, (tmpl:gsub("@UUID@", uuid)))
end
