-- login.lua - the same user logging in again and again.
--
--   wrk -s login.lua URL -- EMAIL PASSWORD
--
-- Each request is POST /api/v1/auth/login with a right password, so each
-- costs one argon2id check and makes a session.

dofile(os.getenv("BENCH_WRK") .. "/report.lua")

local function json_string(s)
	return '"' .. s:gsub('[%c"\\]', function(c)
		return string.format("\\u%04x", c:byte())
	end) .. '"'
end

function init(args)
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
	wrk.body = '{"email":' .. json_string(args[1]) .. ',"password":' ..
	    json_string(args[2]) .. ',"remember":false}'
end
