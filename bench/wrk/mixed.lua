-- mixed.lua - the soak's mixed load: what a cabinet, phones and a
-- supplier's system ask of one server at the same time.
--
--   wrk -s mixed.lua URL -- COOKIE TOKENS TEMPLATE NONCE KEY HEAD
--
-- Per request, drawn at random: 40% GET /api/v1/auth/me and 20% the
-- licence table (100 rows) with the distributor's session COOKIE; 25% a
-- one-document upload from a device of TOKENS (TEMPLATE and NONCE as in
-- upload.lua); 15% a feed page of 100 at a random cursor below HEAD
-- with the supplier's KEY.  No logins: each holds 64 MiB for a moment,
-- and those swings would hide any slow growth; the login figure bounds
-- them on its own.

dofile(os.getenv("BENCH_WRK") .. "/report.lua")

local counter = 0
local threads = 0
local cookie, tokens, tmpl, nonce, key, head, tid

function setup(thread)
	thread:set("tid", threads)
	thread:set("seed", math.random(1, 2147483647))
	threads = threads + 1
end

function init(args)
	local f = assert(io.open(args[3], "rb"))

	cookie = args[1]
	tokens = {}
	for line in io.lines(args[2]) do
		tokens[#tokens + 1] = line
	end
	tmpl = f:read("*a")
	f:close()
	nonce = args[4]
	key = args[5]
	head = tonumber(args[6])
	tid = tonumber(wrk.thread:get("tid")) or 0
	math.randomseed(tonumber(wrk.thread:get("seed")))
end

local function uuid()
	counter = counter + 1
	return string.format("%s-%04x-4000-9000-%012x", nonce, tid, counter)
end

function request()
	local r = math.random(1, 100)

	if r <= 40 then
		return wrk.format("GET", "/api/v1/auth/me", { Cookie = cookie })
	elseif r <= 60 then
		return wrk.format("GET", "/api/v1/licences?limit=100",
		    { Cookie = cookie })
	elseif r <= 85 then
		return wrk.format("POST", "/api/v1/device/documents", {
			["Content-Type"] = "application/json",
			Authorization = "Bearer " ..
			    tokens[math.random(1, #tokens)],
		}, (tmpl:gsub("@UUID@", uuid)))
	end

	local span = head > 100 and head - 100 or 0

	return wrk.format("GET", string.format(
	    "/api/v1/feed?after=%d&limit=100", math.random(0, span)),
	    { Authorization = "Bearer " .. key })
end
