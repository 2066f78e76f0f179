# Makefile - the commands people type; meson and ninja do the building.
#
#   make         build build/tobmen (installs missing Debian packages first)
#   make run     build, migrate data/tobmen.db, start on 127.0.0.1:8080
#   make test    every suite under ASan+UBSan on both stores; the last line
#                is "N passed, N failed"
#   make format  clang-format every C file in place
#   make clean   remove the build trees (data/ is kept)

BUILD      = build
TEST_BUILD = build-test
DB         = sqlite:data/tobmen.db
TOBMEN     = ./$(BUILD)/tobmen

.PHONY: all build deps run test clean format

all: build

# Missing build packages: installed as root, listed otherwise.
deps:
	scripts/deps.sh

# A release-like tree in build/.
build: deps
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD)
	ninja -C $(BUILD)

# Migrate the embedded store, give a new one demo data when the binary
# can make it, then serve; the server prints its URL.
run: build
	@new=no; test -e data/tobmen.db || new=yes; \
	$(TOBMEN) migrate --db $(DB) || exit 1; \
	if [ $$new = yes ] && $(TOBMEN) demo --help >/dev/null 2>&1; then \
		$(TOBMEN) demo --db $(DB) || exit 1; \
	fi; \
	exec $(TOBMEN) serve --db $(DB)

# A sanitized tree in build-test/ (warnings are errors), then every suite.
test:
	scripts/deps.sh --test
	@test -f $(TEST_BUILD)/build.ninja || meson setup $(TEST_BUILD) \
	    -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C $(TEST_BUILD)
	TOBMEN_BUILD=$(TEST_BUILD) tests/run.sh

clean:
	rm -rf $(BUILD) $(TEST_BUILD)

format:
	find src tests -name node_modules -prune -o \
	    \( -name '*.c' -o -name '*.h' \) -print | xargs clang-format -i

# Throughput, latency and memory against this machine's own ceilings
# (bench/run.sh; about 10 minutes, or 2 with bench-quick).  Never part of
# `make test`.
.PHONY: bench bench-quick
bench:
	scripts/deps.sh --bench
	bench/run.sh

bench-quick:
	scripts/deps.sh --bench
	bench/run.sh --quick
