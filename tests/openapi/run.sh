#!/usr/bin/env bash
# run.sh - docs/openapi.yaml against the linter, the code and a real
# server.
#
#   lint      `redocly lint` with redocly.yaml (Redocly's recommended
#             rules, as errors, exceptions in .redocly.lint-ignore.yaml);
#   routes    routes.mjs: every http_route() of src/api/*.c is described
#             and every described operation is registered, then each
#             described operation is sent to the server and must reach a
#             handler, not the router's 404 / 405;
#   answers   conform.mjs: a walk through the API, good calls and bad,
#             each answer checked against the description (ajv); then
#             every answer the API tests (tests/api) get from the same
#             server, recorded by their harness, checked the same way.
#             Whether those tests pass is the api suite's business; here
#             only their answers count.  TOBMEN_OPENAPI_API_TESTS=0 leaves
#             this part out (it takes as long as the api suite).
#
# Builds nothing: uses $TOBMEN_BUILD/tobmen (and tests/api/api_tests of
# the same build) on a new SQLite store, with
# --test-clock and mail written as files.  Installs the npm packages from
# package-lock.json when they are missing.  The last line is "N passed,
# N failed".
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/common.sh"

SPEC=${TOBMEN_OPENAPI_SPEC:-$TOP/docs/openapi.yaml}
export TOBMEN_OPENAPI_SPEC=$SPEC

# run_node NAME SCRIPT ARGS...: runs a node script of this folder, shows
# its lines and adds its "N passed, N failed" to the counts.
run_node()
{
	local name=$1 out last

	shift
	out=$work/$name.out
	(cd "$HERE" && node "$@") >"$out" 2>&1
	grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$out"
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
	if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		T_PASSED=$((T_PASSED + BASH_REMATCH[1]))
		T_FAILED=$((T_FAILED + BASH_REMATCH[2]))
	else
		t_fail "$name ran to the end" "$(tail -n 20 "$out")"
	fi
}

require_binary
if [ ! -x "$HERE/node_modules/.bin/redocly" ] ||
    [ ! -d "$HERE/node_modules/ajv-formats" ] ||
    [ ! -d "$HERE/node_modules/yaml" ]; then
	if ! (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) \
	    >&2; then
		t_fail "npm packages install" "npm ci failed in $HERE"
		t_summary
		exit 1
	fi
fi

tmpdir_new work

# Node 20 warns about its age on stderr; only the verdict matters.
if (cd "$HERE" && REDOCLY_TELEMETRY=off \
    REDOCLY_SUPPRESS_UPDATE_NOTICE=true ./node_modules/.bin/redocly \
    lint "$SPEC" --config "$HERE/redocly.yaml" --format=stylish) \
    >"$work/lint.out" 2>&1; then
	t_ok "docs/openapi.yaml passes redocly lint"
else
	t_fail "docs/openapi.yaml passes redocly lint" \
	    "$(grep -v -E '^\s*$|║|╔|╚' "$work/lint.out" | head -n 40)"
fi

db=sqlite:$work/tobmen.db
if ! "$TOBMEN" migrate --db "$db" >"$work/migrate.log" 2>&1; then
	t_fail "migrate a store" "$(tail -n 20 "$work/migrate.log")"
	t_summary
	exit 1
fi
if ! server_start "$db"; then
	t_fail "a server to check against starts and answers /healthz"
	t_summary
	exit 1
fi
mail_dir=$(dirname "$SERVER_LOG")/data/mail
mkdir -p "$mail_dir"

run_node routes routes.mjs "$SERVER_URL"
export TOBMEN_TEST_URL=$SERVER_URL TOBMEN_TEST_BIN=$TOBMEN \
    TOBMEN_TEST_DB=$db TOBMEN_TEST_MAIL_DIR=$mail_dir TOBMEN_TEST_STORE=sqlite
run_node conform conform.mjs

api_tests=$BUILD_DIR/tests/api/api_tests
if [ "${TOBMEN_OPENAPI_API_TESTS:-1}" = 0 ]; then
	t_skip "the API tests' answers" "TOBMEN_OPENAPI_API_TESTS=0"
elif [ ! -x "$api_tests" ]; then
	t_fail "the API tests' answers" "missing $api_tests: run make test"
else
	TOBMEN_TEST_RECORD=$work/answers.jsonl "$api_tests" \
	    >"$work/api.out" 2>&1
	if ! sanitizer_check "$work/api.out"; then
		t_fail "api_tests has no sanitizer report"
	fi
	if [ -s "$work/answers.jsonl" ]; then
		run_node answers conform.mjs --record "$work/answers.jsonl"
	else
		t_fail "the API tests' answers are recorded" \
		    "$(tail -n 20 "$work/api.out")"
	fi
fi

server_stop_checked "openapi"
t_summary
