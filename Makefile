# bimbing - build, test, run.
#
#   make            install missing Debian packages, build bin/bimbing
#   make run        ... and start the service (web chat on localhost)
#   make test       ... and run every test; the last line is "N passed, N failed"
#   make asan       every test again under AddressSanitizer + UBSan
#   make test-build build what the tests need, run nothing (SAN=1: the asan tree)
#   make fuzz       build the libFuzzer harnesses (clang, build/fuzz); FUZZ_SECONDS=N runs each
#   make tsan       the threaded tests under ThreadSanitizer (build/tsan)
#   make bench      benchmarks (figures, not pass/fail)
#   make install    PREFIX=/usr/local DESTDIR= honoured
#   make format / format-check / clean / deps
#
# Sources are found by wildcard: a new bot/*/*.c, bot/domain/*/*.c, store/*.c or adapters/**.c
# joins the library, a new tests/**/test_*.c becomes a test program, a new
# tests/fakes/*.c a fake server. Nobody needs to edit this file to add one.
# Helpers the test programs share live in tests/lib/*.c (common.c, without
# cmocka, also in the tools of tests/tools/); the fakes' shared
# HTTP server core in tests/fakes/lib/*.c.

# Build on every core unless the caller chose -j; sub-makes share the
# top-level job server.
ifeq ($(MAKELEVEL),0)
ifeq ($(findstring j,$(firstword -$(MAKEFLAGS))),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif
endif

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
WERROR  ?=
SAN     ?=

PKGS := libcurl libwebsockets libcjson sqlite3 libpcre2-8 libcrypto libqrencode
DEB_PKGS := build-essential pkg-config libcurl4-openssl-dev libwebsockets-dev libcjson-dev \
            libsqlite3-dev libpcre2-dev libcmocka-dev libssl-dev sqlite3 clang-format curl tzdata jq \
            libqrencode-dev

ifeq ($(SAN),1)
BUILD ?= build/asan
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT := -O1
else ifeq ($(SAN),fuzz)
# The libFuzzer harnesses (tests/fuzz): a clang-built copy of the library
# with coverage, ASan and UBSan in its own tree; gcc builds are untouched.
BUILD ?= build/fuzz
CC := clang
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all
OPT := -O1
else ifeq ($(SAN),tsan)
BUILD ?= build/tsan
SANFLAGS := -fsanitize=thread -fno-omit-frame-pointer
OPT := -O1
else
BUILD ?= build
SANFLAGS :=
OPT := -O2
endif
BIN := $(BUILD)/bin/bimbing

WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wno-format-nonliteral
ifneq ($(WERROR),)
WARN += -Werror
endif

# Recursive (=) so pkg-config runs only when a rule needs it, after deps.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
CFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DPCRE2_CODE_UNIT_WIDTH=8 \
          $(OPT) -g $(WARN) $(SANFLAGS) -I. $(PKG_CFLAGS) -MMD -MP
LDFLAGS = $(SANFLAGS)
LDLIBS  = $(PKG_LIBS) -lpthread -lm

LIB_SRC  := $(wildcard bot/*/*.c bot/domain/*/*.c store/*.c adapters/*/*.c)
LIB_SRC  := $(filter-out adapters/service/main.c,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/libbimbing.a
TEST_SRC := $(wildcard tests/*/test_*.c tests/*/*/test_*.c)
TEST_BIN := $(TEST_SRC:%.c=$(BUILD)/%)
TESTLIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/lib/*.c))
TOOLLIB_OBJ := $(BUILD)/obj/tests/lib/common.o
FAKE_SRC := $(wildcard tests/fakes/*.c)
FAKE_BIN := $(FAKE_SRC:tests/fakes/%.c=$(BUILD)/fakes/%)
FAKELIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/fakes/lib/*.c))
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_SECONDS ?= 0

.PHONY: all build deps test-deps run test test-build test-run asan bench install install-files uninstall clean \
        format format-check check-deps web-vendor fuzz fuzz-build fuzz-deps tsan tsan-run

all: deps
	@$(MAKE) --no-print-directory build web-vendor

build: $(BIN) bin/bimbing

# bin/bimbing is the one binary users run; a sanitizer build lives in its
# own tree and does not replace it.
bin/bimbing: $(BUILD)/bin/bimbing
ifeq ($(SAN),1)
	@true
else
	@mkdir -p bin && cp $< $@
endif

$(BIN): $(BUILD)/obj/adapters/service/main.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# The shared test and fake objects are kept (make would delete them as
# intermediate files of the pattern rules below).
.SECONDARY: $(TESTLIB_OBJ) $(FAKELIB_OBJ)

$(BUILD)/tests/%: tests/%.c $(TESTLIB_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(TESTLIB_OBJ) $(LIB) $(LDLIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/fakes/%: tests/fakes/%.c $(FAKELIB_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(FAKELIB_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) $(LDLIBS)

$(BUILD)/tools/%: tests/tools/%.c $(TOOLLIB_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(TOOLLIB_OBJ) $(LIB) $(LDLIBS)

# Install the Debian packages that are missing; does nothing when all are
# there. Uses sudo when not root.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || \
	        missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The HR dashboard's chart library (Chart.js) and the browser test's driver
# (playwright-core) come from npm (package-lock.json), and the library is
# copied into web/admin/vendor/. Never fatal: without it the dashboard
# shows its tables only, and the browser test skips.
WEB_VENDOR := web/admin/vendor/chart.umd.min.js
web-vendor: $(WEB_VENDOR)

$(WEB_VENDOR): package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	    echo "installing nodejs and npm (for the dashboard's chart library)"; \
	    SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null || true; \
	fi
	@if command -v npm >/dev/null 2>&1 && npm ci --no-audit --no-fund --loglevel=error >/dev/null; then \
	    sh web/admin/vendor.sh; \
	else \
	    echo "warning: the chart library could not be installed (npm); the dashboard shows tables only"; \
	fi

run: all
	@mkdir -p var
	./bin/bimbing people import config/demo-people.csv --db var/bimbing.db
	./bin/bimbing serve --config config/bimbing.json --db var/bimbing.db

# The browser tests drive Debian's Chromium: `make test` and `make asan`
# install it like any other missing package (a failed install is not fatal:
# the browser test then skips, and the closing summary names the skip).
TEST_PKGS := chromium
test-deps: deps
	@missing=""; for p in $(TEST_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || \
	        missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "installing for the browser tests:$$missing"; \
	    SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	    ( $$SUDO apt-get update -qq && \
	      DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing ) || \
	        echo "warning: could not install$$missing; the browser test will skip"; \
	fi

test: test-deps
	@$(MAKE) --no-print-directory web-vendor test-run

# test-build builds everything the tests run, without running them (CI
# builds the sanitizer tree this way while the normal tests run).
test-build: build $(TEST_BIN) $(FAKE_BIN) $(TOOL_BIN)

test-run: test-build
	@BIMBING_BUILD=$(BUILD) bash tests/run.sh

asan: test-deps
	@$(MAKE) --no-print-directory web-vendor
	@$(MAKE) --no-print-directory SAN=1 test-run

# libFuzzer needs clang (Debian package clang); installed like the other
# dependencies when missing.
fuzz-deps: deps
	@command -v clang >/dev/null 2>&1 || { \
	    echo "installing clang (for the fuzz harnesses)"; \
	    SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends clang; }

# `make fuzz` builds every tests/fuzz/fuzz_*.c harness; with FUZZ_SECONDS=N
# it runs each for N seconds (tests/fuzz/run.sh; one test per harness, the
# last line "N passed, N failed").
fuzz: fuzz-deps
	@$(MAKE) --no-print-directory SAN=fuzz fuzz-build
	@if [ "$(FUZZ_SECONDS)" != 0 ]; then bash tests/fuzz/run.sh "$(FUZZ_SECONDS)"; fi

fuzz-build: $(FUZZ_BIN)

# ThreadSanitizer: the threaded unit test and the e2e tests that run
# `bimbing serve` against the fakes (tests/tsan.sh lists them). Not in CI
# (slow); docs/security.md records a run.
tsan: deps
	@$(MAKE) --no-print-directory SAN=tsan tsan-run

tsan-run: build $(BUILD)/tests/adapters/test_net_http $(FAKE_BIN) $(TOOL_BIN)
	@BIMBING_BUILD=$(BUILD) bash tests/tsan.sh

bench: all
	@$(MAKE) --no-print-directory $(FAKE_BIN) $(TOOL_BIN)
	@BIMBING_BUILD=$(BUILD) bash bench/run.sh

# make install: the program, its flows, web files (only what is served: no
# dotfiles, no scripts), configuration examples, the systemd unit (with
# PREFIX filled in) and the deployment guide. The binary finds the rest
# under PREFIX/share/bimbing on its own. See docs/deployment.md.
# (install-files copies without building; tests/e2e/deploy.test.sh uses it
# with INSTALL_BIN set to the binary under test.)
SHARE = $(DESTDIR)$(PREFIX)/share/bimbing
INSTALL_BIN ?= bin/bimbing
install: all
	@$(MAKE) --no-print-directory install-files

install-files:
	install -D -m 0755 $(INSTALL_BIN) $(DESTDIR)$(PREFIX)/bin/bimbing
	install -d $(SHARE)/flows $(SHARE)/config $(SHARE)/web
	install -m 0644 flows/*.json $(SHARE)/flows/
	install -m 0644 config/*.json config/*.csv $(SHARE)/config/
	cd web && find . -type f ! -name '.*' ! -name '*.sh' ! -path '*/.*' \
	    -exec install -D -m 0644 {} $(SHARE)/web/{} \;
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(PREFIX)/share/doc/bimbing
	sed 's|@PREFIX@|$(PREFIX)|g' config/bimbing.service \
	    > $(DESTDIR)$(PREFIX)/lib/systemd/system/bimbing.service
	install -m 0644 docs/deployment.md $(DESTDIR)$(PREFIX)/share/doc/bimbing/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/bimbing $(DESTDIR)$(PREFIX)/lib/systemd/system/bimbing.service
	rm -rf $(DESTDIR)$(PREFIX)/share/bimbing $(DESTDIR)$(PREFIX)/share/doc/bimbing

FORMAT_SRC = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FORMAT_SRC)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRC) && echo "format ok"

clean:
	rm -rf build bin

-include $(shell find build -name '*.d' 2>/dev/null)
