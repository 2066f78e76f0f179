#!/usr/bin/env bash
# config.sh - the command line and configuration through the real binary:
# --help and --version, unknown subcommands, and the precedence INI file <
# TOBMEN_* environment < flags, checked with "tobmen serve --check-config".
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"

require_binary
tmpdir_new work
cd "$work" || exit 1

# Settings that keep every check away from the tree's data/.
export TOBMEN_DB=sqlite:$work/data/tobmen.db
export TOBMEN_DATA_DIR=$work/data
export TOBMEN_MAIL_DIR=$work/data/mail
unset TOBMEN_CONFIG TOBMEN_LISTEN TOBMEN_THREADS TOBMEN_SMTP_PASSWORD \
    TOBMEN_SMTP_PASSWORD_FILE

GOOD_LISTEN=127.0.0.1:18080
BAD_LISTEN=127.0.0.1:99999

# run NAME CMD...: runs CMD with stdout and stderr in $work/NAME.{out,err};
# sets RC.
run()
{
	local name=$1

	shift
	RC=0
	"$@" >"$work/$name.out" 2>"$work/$name.err" </dev/null || RC=$?
}

# expect_rc NAME WANT CMD...: one check that CMD exits with WANT.
expect_rc()
{
	local name=$1 want=$2

	shift 2
	run "$name" "$@"
	if [ "$RC" = "$want" ]; then
		t_ok "$name"
	else
		t_fail "$name" "exit status $RC, want $want: $*" \
		    "$(head -c 600 "$work/$name.err")"
	fi
}

# expect_fail_mentioning NAME WORD CMD...: one check that CMD fails and
# says WORD on stderr.
expect_fail_mentioning()
{
	local name=$1 word=$2

	shift 2
	run "$name" "$@"
	if [ "$RC" = 0 ]; then
		t_fail "$name" "exit status 0, want a failure: $*"
	elif ! grep -qi -- "$word" "$work/$name.err"; then
		t_fail "$name" "stderr does not mention \"$word\":" \
		    "$(head -c 600 "$work/$name.err")"
	else
		t_ok "$name"
	fi
}

# ini FILE LISTEN: writes a config file setting listen.
ini()
{
	printf '[server]\nlisten = %s\n' "$2" >"$1"
}

check_help()
{
	local sub

	expect_rc "help: tobmen --help exits 0" 0 "$TOBMEN" --help
	for sub in serve migrate; do
		if ! grep -qw "$sub" "$work/help: tobmen --help exits 0.out"
		then
			t_fail "help: tobmen --help lists $sub"
		else
			t_ok "help: tobmen --help lists $sub"
		fi
	done

	expect_rc "help: tobmen --version exits 0" 0 "$TOBMEN" --version
	if grep -Eq '[0-9]+\.[0-9]+\.[0-9]+' \
	    "$work/help: tobmen --version exits 0.out"; then
		t_ok "help: --version prints a version number"
	else
		t_fail "help: --version prints a version number"
	fi

	# Every subcommand the top-level help names takes --help.
	for sub in serve migrate admin device demo; do
		if [ "$sub" != serve ] && [ "$sub" != migrate ] && ! grep -qw \
		    "$sub" "$work/help: tobmen --help exits 0.out"; then
			continue
		fi
		expect_rc "help: tobmen $sub --help exits 0" 0 \
		    "$TOBMEN" "$sub" --help
		if [ -s "$work/help: tobmen $sub --help exits 0.out" ]; then
			t_ok "help: tobmen $sub --help prints usage"
		else
			t_fail "help: tobmen $sub --help prints usage"
		fi
	done

	expect_fail_mentioning "usage: unknown subcommand is refused" \
	    frobnicate "$TOBMEN" frobnicate
	expect_rc "usage: unknown subcommand exits 2" 2 "$TOBMEN" frobnicate
	expect_rc "usage: unknown flag of serve exits 2" 2 \
	    "$TOBMEN" serve --no-such-flag
}

check_precedence()
{
	local cfg_bad=$work/bad.ini cfg_good=$work/good.ini

	ini "$cfg_bad" "$BAD_LISTEN"
	ini "$cfg_good" "$GOOD_LISTEN"

	expect_rc "config: defaults pass --check-config" 0 \
	    "$TOBMEN" serve --check-config
	expect_fail_mentioning "config: bad listen flag is refused" listen \
	    "$TOBMEN" serve --check-config --listen "$BAD_LISTEN"
	expect_fail_mentioning "config: bad listen in INI is refused" listen \
	    "$TOBMEN" serve --check-config --config "$cfg_bad"
	expect_fail_mentioning "config: TOBMEN_CONFIG names the INI file" \
	    listen env TOBMEN_CONFIG="$cfg_bad" \
	    "$TOBMEN" serve --check-config

	expect_rc "config: env overrides a bad INI value" 0 \
	    env TOBMEN_LISTEN="$GOOD_LISTEN" \
	    "$TOBMEN" serve --check-config --config "$cfg_bad"
	expect_fail_mentioning "config: bad env overrides a good INI value" \
	    listen env TOBMEN_LISTEN="$BAD_LISTEN" \
	    "$TOBMEN" serve --check-config --config "$cfg_good"
	expect_rc "config: flag overrides a bad env value" 0 \
	    env TOBMEN_LISTEN="$BAD_LISTEN" \
	    "$TOBMEN" serve --check-config --listen "$GOOD_LISTEN"
	expect_fail_mentioning "config: bad flag overrides a good env value" \
	    listen env TOBMEN_LISTEN="$GOOD_LISTEN" \
	    "$TOBMEN" serve --check-config --listen "$BAD_LISTEN"
	expect_rc "config: flag overrides a bad INI value" 0 \
	    "$TOBMEN" serve --check-config --config "$cfg_bad" \
	    --listen="$GOOD_LISTEN"

	expect_fail_mentioning "config: bad number is refused" threads \
	    env TOBMEN_THREADS=many "$TOBMEN" serve --check-config

	printf '[server]\nno_such_setting = 1\n' >"$work/unknown.ini"
	expect_fail_mentioning "config: unknown INI setting is refused" \
	    no_such_setting "$TOBMEN" serve --check-config \
	    --config "$work/unknown.ini"
	expect_fail_mentioning "config: missing INI file is refused" \
	    missing.ini "$TOBMEN" serve --check-config \
	    --config "$work/missing.ini"
}

check_secret_files()
{
	printf 's3cret-value\n' >"$work/smtp.pass"

	expect_rc "secret: TOBMEN_SMTP_PASSWORD_FILE is read" 0 \
	    env TOBMEN_SMTP_PASSWORD_FILE="$work/smtp.pass" \
	    "$TOBMEN" serve --check-config
	expect_rc "secret: --smtp-password-file is read" 0 \
	    "$TOBMEN" serve --check-config \
	    --smtp-password-file "$work/smtp.pass"
	expect_fail_mentioning "secret: a missing secret file is refused" \
	    smtp_password env TOBMEN_SMTP_PASSWORD_FILE="$work/nope" \
	    "$TOBMEN" serve --check-config
	if grep -q 's3cret-value' "$work"/secret*.out "$work"/secret*.err
	then
		t_fail "secret: the secret never appears in the output"
	else
		t_ok "secret: the secret never appears in the output"
	fi
}

check_sanitizers()
{
	if grep -Eq "$SANITIZER_RE" "$work"/*.err; then
		t_fail "no sanitizer report from any command" \
		    "$(grep -E -l "$SANITIZER_RE" "$work"/*.err)"
	else
		t_ok "no sanitizer report from any command"
	fi
}

check_help
check_precedence
check_secret_files
check_sanitizers
t_summary
