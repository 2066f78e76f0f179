-- feed.lua - a supplier's system reading feed pages at random cursors.
--
--   wrk -s feed.lua URL -- KEY HEAD LIMIT
--
-- Each request asks GET /api/v1/feed?after=A&limit=LIMIT with A drawn
-- uniformly from 0 .. HEAD - LIMIT, so every page is full and pages come
-- from the whole store, not from a cached corner of it.

dofile(os.getenv("BENCH_WRK") .. "/report.lua")

local span, limit

function setup(thread)
	thread:set("seed", math.random(1, 2147483647))
end

function init(args)
	wrk.headers["Authorization"] = "Bearer " .. args[1]
	limit = tonumber(args[3])
	span = tonumber(args[2]) - limit
	math.randomseed(tonumber(wrk.thread:get("seed")))
end

function request()
	local path = string.format("/api/v1/feed?after=%d&limit=%d",
	    math.random(0, span), limit)

	return wrk.format("GET", path)
end
