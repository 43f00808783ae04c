# authaudit — GNU Makefile.  Reads config.mk, which ./configure writes from
# config.mk.in; both are regenerated here when missing or stale.
#   make deps      install the Debian packages (root)
#   make           build lib/libauthaudit.a and the authaudit program
#   make demo      start knotd on fixtures/demo and audit every demo domain
#   make check     all Check suites, normal build then sanitizer build, plus valgrind CLI runs
#   make bench     resolver throughput against the local server
#   make fuzz      every libFuzzer target for FUZZ_SECONDS (default 60)
#   make lint      cppcheck, clang-tidy, the layering rules, man page vs. code
#   make format    clang-format -i the sources; make format-check only reports

DEB_PACKAGES = build-essential autoconf automake pkg-config \
	libc-ares-dev libspf2-dev libopendkim-dev libopendmarc-dev check \
	libssl-dev libpsl-dev publicsuffix libidn2-dev libjansson-dev libgmime-3.0-dev \
	knot knot-dnsutils valgrind cppcheck clang-tidy clang-format clang libclang-rt-14-dev \
	dnsperf parallel python3

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SECONDARY:

ifneq ($(filter deps,$(MAKECMDGOALS)),)
# `make deps GOAL...`: install first, then build the other goals in a fresh
# make, because config.mk can only be generated once the packages are there.
DEPS_THEN := $(filter-out deps,$(MAKECMDGOALS))
.PHONY: deps $(DEPS_THEN)
deps:
	@if dpkg-query -W -f='$${Status}\n' $(DEB_PACKAGES) 2>/dev/null | grep -qv '^install ok installed$$' \
	   || [ $$(dpkg-query -W -f='$${Status}\n' $(DEB_PACKAGES) 2>/dev/null | wc -l) -ne $(words $(DEB_PACKAGES)) ]; then \
	  if [ "$$(id -u)" -ne 0 ]; then echo "make deps: installing Debian packages needs root (try: sudo make deps)" >&2; exit 1; fi; \
	  echo "make deps: installing $(DEB_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_PACKAGES) >/dev/null || exit 1; \
	else echo "make deps: all Debian packages present"; fi
	$(if $(DEPS_THEN),+$(MAKE) --no-print-directory $(DEPS_THEN))
$(DEPS_THEN): deps ; @:
else

include config.mk

configure: configure.ac
	aclocal && autoconf && rm -rf autom4te.cache
config.mk: config.mk.in configure
	./configure --quiet

B ?= build
WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
BASE_CFLAGS = -std=c11 -D_GNU_SOURCE -O2 -g $(WARN) $(SAN_FLAGS) $(CFLAGS_USER)
# make SAN=1 builds with sanitizers in its own object tree; so does ./configure --enable-sanitizers
ifeq ($(SAN),1)
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
SAN_FLAGS = $(SAN_CFLAGS)
endif
ALL_CPPFLAGS = -Ilib -DAA_PSL_FILE='"$(PSL_FILE)"' $(DEP_CFLAGS) $(CPPFLAGS_USER)

LIB_SRC  = $(sort $(wildcard lib/*/*.c))
CLI_SRC  = $(sort $(wildcard cli/*.c))
TEST_SRC = $(sort $(wildcard tests/check_*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(B)/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=$(B)/%.o)
TEST_BIN = $(TEST_SRC:tests/%.c=$(B)/tests/%)
LIBA     = $(B)/libauthaudit.a
PROG     = $(B)/authaudit
FAULTDNS = $(B)/tests/faultdns

.PHONY: all check check-one check-valgrind golden demo bench install clean distclean fuzz fuzz-build \
	lint format format-check
all: $(PROG)
	@ln -sf $(PROG) authaudit

# V=1 shows the full command lines
Q = $(if $(filter 1,$(V)),,@)
$(B)/%.o: %.c config.mk
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(ALL_CPPFLAGS) -MMD -MP -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	@$(if $(Q),echo "  AR      $@")
	$(Q)ar rcs $@ $^

$(PROG): $(CLI_OBJ) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(LDFLAGS_USER) -o $@ $(CLI_OBJ) $(LIBA) $(DEP_LIBS)

$(FAULTDNS): $(B)/tests/faultdns.o
	$(Q)$(CC) $(BASE_CFLAGS) -o $@ $^ $(DEP_LIBS)

WITHDNS = $(B)/tests/with-dns
$(WITHDNS): $(B)/tests/with-dns.o $(B)/tests/harness.o
	$(Q)$(CC) $(BASE_CFLAGS) -o $@ $^ $(DEP_LIBS)

SUITE_OBJ = $(B)/tests/harness.o $(B)/tests/suite.o $(B)/tests/corpus.o
$(B)/tests/check_%: $(B)/tests/check_%.o $(SUITE_OBJ) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(LDFLAGS_USER) -o $@ $< $(SUITE_OBJ) $(LIBA) $(DEP_LIBS) $(CHECK_LIBS)

$(B)/tests/%.o: tests/%.c config.mk
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(ALL_CPPFLAGS) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

TEST_ENV = AA_KNOTD=$(KNOTD) AA_FAULTDNS=$(FAULTDNS) AA_FIXTURES=fixtures AA_PROG=$(PROG) AA_WITHDNS=$(WITHDNS)

# One object tree per configuration: build/ (plain) and build-san/ (ASan+UBSan).
# The last line is the grand total, "check: N passed, M failed".
check:
	@rm -f .check-summary
	+@AA_SUMMARY=$(CURDIR)/.check-summary $(MAKE) --no-print-directory B=build check-one; \
	  AA_SUMMARY=$(CURDIR)/.check-summary $(MAKE) --no-print-directory B=build-san SAN=1 check-one; \
	  AA_SUMMARY=$(CURDIR)/.check-summary $(MAKE) --no-print-directory B=build check-valgrind; \
	  awk '{p += $$1; f += $$2} END {print "check: " p " passed, " f " failed"; \
	       exit (f > 0 || NR < 3)}' .check-summary; rc=$$?; rm -f .check-summary; exit $$rc

check-one: $(PROG) $(FAULTDNS) $(WITHDNS) $(TEST_BIN)
	@$(TEST_ENV) tests/run-suites $(TEST_BIN)

# Rewrites fixtures/expected/ from the current output: review the diff.
golden: $(PROG) $(FAULTDNS) $(B)/tests/check_render
	@mkdir -p fixtures/expected
	@$(TEST_ENV) AA_GOLDEN_UPDATE=1 $(B)/tests/check_render >/dev/null || true
	@git status --short fixtures/expected

check-valgrind: $(PROG) $(FAULTDNS) $(WITHDNS)
	@$(TEST_ENV) tests/valgrind-cli

# The demo world: knotd on loopback serving fixtures/demo, authaudit on
# every domain listed in fixtures/demo/DOMAINS.  No internet needed.
demo: $(PROG) $(FAULTDNS) $(WITHDNS)
	@$(TEST_ENV) $(WITHDNS) fixtures/demo - -- $(PROG) -r @RESOLVER@ --fail-on never $$(grep -v '^#' fixtures/demo/DOMAINS)

bench: $(PROG) $(FAULTDNS) $(B)/tests/bench_resolver $(B)/tests/bench_batch
	@$(TEST_ENV) $(B)/tests/bench_resolver
	@$(TEST_ENV) $(B)/tests/bench_batch $(N)

$(B)/tests/bench_batch: $(B)/tests/bench_batch.o $(B)/tests/harness.o $(B)/tests/corpus.o
	$(Q)$(CC) $(BASE_CFLAGS) -o $@ $^

$(B)/tests/bench_resolver: $(B)/tests/bench_resolver.o $(B)/tests/harness.o $(LIBA)
	$(Q)$(CC) $(BASE_CFLAGS) -o $@ $^ $(DEP_LIBS)

# Lint: every step runs, each failure is shown, and lint fails if any did.
#   cppcheck    lib/ cli/; false positives that cannot be suppressed inline
#               are in tests/lint/cppcheck-suppressions.xml, each with its why
#   clang-tidy  lib/ cli/ with .clang-tidy (warnings are errors)
#   layers      tests/lint/layers: include rules, no circles, unique names;
#               tests/lint/layers-selftest shows it catches each violation
#   man         tests/check-man: authaudit.1's OPTIONS against --help (one
#               options table in cli/main.c) and FINDINGS against findings.def
#   format      clang-format --dry-run: the tree is formatted (make format)
CPPCHECK    ?= cppcheck
CLANG_TIDY  ?= clang-tidy
CLANG_FORMAT ?= clang-format
CPPCHECK_FLAGS = -q -j2 --std=c11 --library=posix --enable=warning,portability,performance \
	--error-exitcode=1 --inline-suppr -Ilib -D_GNU_SOURCE --suppress=missingIncludeSystem \
	--suppress-xml=tests/lint/cppcheck-suppressions.xml
LIST_FINDINGS = $(B)/tests/list-findings

$(LIST_FINDINGS): $(B)/tests/list-findings.o $(LIBA)
	$(Q)$(CC) $(BASE_CFLAGS) -o $@ $^ $(DEP_LIBS)

lint: $(PROG) $(LIST_FINDINGS)
	@rc=0; \
	echo "lint: cppcheck"; $(CPPCHECK) $(CPPCHECK_FLAGS) lib cli || rc=1; \
	echo "lint: clang-tidy"; \
	$(CLANG_TIDY) --quiet $(LIB_SRC) $(CLI_SRC) -- -std=c11 -D_GNU_SOURCE $(ALL_CPPFLAGS) \
	  >$(B)/lint-tidy.log 2>&1 || rc=1; \
	grep -v -e 'warnings\? generated\.$$' -e 'warnings\? treated as errors\.$$' $(B)/lint-tidy.log || :; \
	echo "lint: layers"; tests/lint/layers || rc=1; tests/lint/layers-selftest || rc=1; \
	echo "lint: man page"; tests/check-man man/authaudit.1 $(PROG) $(LIST_FINDINGS) || rc=1; \
	echo "lint: format"; $(CLANG_FORMAT) --dry-run -Werror $(FORMAT_SRC) || rc=1; \
	if [ $$rc -eq 0 ]; then echo "lint: ok"; else echo "lint: FAILED (see above)"; fi; exit $$rc

# clang-format 14 with .clang-format; findings.def (an X-macro list) excluded.
FORMAT_SRC = $(sort $(wildcard lib/*.h lib/*/*.c lib/*/*.h cli/*.c tests/*.c tests/*.h tests/fuzz/*.c tests/fuzz/*.h))
format:
	$(CLANG_FORMAT) -i $(FORMAT_SRC)
format-check:
	@$(CLANG_FORMAT) --dry-run -Werror $(FORMAT_SRC) && echo "format-check: ok"

# make fuzz: the libFuzzer targets of tests/fuzz/, built with clang and
# ASan+UBSan in build-fuzz/, each run for FUZZ_SECONDS (default 60) from its
# seed corpus (tests/fuzz/seeds/ and records from fixtures/); a crash, a
# leak or an input slower than 1 s fails.  CI runs it; run it longer with
# make fuzz FUZZ_SECONDS=1800.
FUZZ_SECONDS ?= 60
# domains in the batch benchmark (make bench N=1000000)
N ?= 10000
FUZZ_TARGETS = $(patsubst tests/fuzz/%.c,%,$(filter-out tests/fuzz/fuzz_records.c,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_SAN = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
fuzz:
	+@$(MAKE) --no-print-directory B=build-fuzz CC=clang SAN_FLAGS="$(FUZZ_SAN)" fuzz-build
	@tests/fuzz/run build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_TARGETS:%=$(B)/fuzz/%)
$(B)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_records.c tests/fuzz/fuzz_records.h $(LIBA)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(BASE_CFLAGS) $(ALL_CPPFLAGS) -Itests/fuzz -fsanitize=fuzzer -o $@ $< tests/fuzz/fuzz_records.c \
	  $(LIBA) $(DEP_LIBS)

install: $(PROG)
	install -D -m 755 $(PROG) $(DESTDIR)$(prefix)/bin/authaudit
	install -D -m 644 man/authaudit.1 $(DESTDIR)$(prefix)/share/man/man1/authaudit.1
	install -D -m 644 man/authaudit-json.5 $(DESTDIR)$(prefix)/share/man/man5/authaudit-json.5

clean:
	rm -rf build build-san build-fuzz authaudit
distclean: clean
	rm -f config.mk config.log config.status configure aclocal.m4
	rm -rf autom4te.cache

-include $(shell find build build-san -name '*.d' 2>/dev/null)
endif
