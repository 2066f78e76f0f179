#!/usr/bin/env bash
# deps.sh - installs the Debian packages tobmen needs, and only those missing.
#
# Usage: scripts/deps.sh [--test] [--bench]
#   without flags: what building needs; --test adds what the test suites need
#   (PostgreSQL server, SMTP sink, Chromium, Node.js, curl, sqlite3);
#   --bench what `make bench` drives and compares with (wrk, nginx, ...).
# As root it runs apt-get for whatever is missing; otherwise it prints the
# missing packages and exits 1.  When nothing is missing it does nothing.
set -euo pipefail

build_pkgs=(
	meson ninja-build pkg-config gcc
	libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev
	libsodium-dev libcurl4-openssl-dev libxlsxwriter-dev
	libcmocka-dev libinih-dev libyajl-dev zlib1g-dev
	python3
)
test_pkgs=(
	postgresql-15 python3-aiosmtpd chromium nodejs npm curl sqlite3
)
bench_pkgs=(
	wrk nginx-light postgresql-15 curl sqlite3 procps
)

want=("${build_pkgs[@]}")
for arg in "$@"; do
	case "$arg" in
	--test) want+=("${test_pkgs[@]}") ;;
	--bench) want+=("${bench_pkgs[@]}") ;;
	-h|--help)
		sed -n '2,10s/^# \{0,1\}//p' "$0"
		exit 0 ;;
	*)
		echo "deps.sh: unknown option: $arg" >&2
		exit 2 ;;
	esac
done

# A package counts as present only when dpkg calls it fully installed.
# npm is the exception: a nodejs package built with npm inside (as some
# Node.js repositories ship it) conflicts with Debian's npm, so a working
# npm command is enough.
declare -A installed=()
while read -r name status; do
	case "$status" in
	ii*) installed[$name]=1 ;;
	esac
done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' \
    "${want[@]}" 2>/dev/null || true)

missing=()
for p in "${want[@]}"; do
	if [ -n "${installed[$p]:-}" ]; then
		continue
	fi
	if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then
		continue
	fi
	missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: these Debian packages are missing:" >&2
	echo "  ${missing[*]}" >&2
	echo "install them as root with:" >&2
	echo "  apt-get install ${missing[*]}" >&2
	exit 1
fi

echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
