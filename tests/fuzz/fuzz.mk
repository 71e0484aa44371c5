# fuzz.mk - libFuzzer targets, built with clang: `make fuzz` runs each for long, `make test-fuzz` briefly.
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -Wno-unused-parameter -I. -DHOST_TEST
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TIME ?= 600
FUZZ_RUNS ?= 100000
# The virtio device targets set a device up for every input: fewer inputs keep their short runs to seconds.
FUZZ_RUNS_DEVICE ?= 20000

# Each target #includes the sources it drives; clang writes no dependency file
# when it compiles and links in one step, so every source a target may pull in
# is a prerequisite (a stale target once hid a link error until a clean build).
FUZZ_SOURCES := $(wildcard apps/*.[ch] drivers/*/*.[ch] net/*.[ch] kernel/*.[ch] lib/*.[ch] tests/sim/*.[ch] \
	tests/fuzz/*.h)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_SOURCES)
	$(call say,FUZZCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $<

# The long run keeps a corpus per target, so each run starts where the last stopped.
fuzz: deps $(FUZZ_TARGETS)
	$(Q)for t in $(FUZZ_TARGETS); do \
		c=$(BUILD)/fuzz/corpus-$$(basename $$t); mkdir -p $$c; \
		s=tests/fuzz/seeds/$$(basename $$t); [ -d $$s ] || s=; \
		echo "  FUZZ    $$t for $(FUZZ_TIME) s, corpus $$c"; \
		$$t -max_total_time=$(FUZZ_TIME) -print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/ $$c $$s || exit 1; \
	done

# The short run is the same every time: a fixed seed, a fixed number of inputs, and the inputs
# of tests/fuzz/seeds/TARGET/ (each a failure once found) run first.
test-fuzz: deps $(FUZZ_TARGETS)
	$(Q)for t in $(FUZZ_TARGETS); do \
		case $$(basename $$t) in fuzz_virtio_*) runs=$(FUZZ_RUNS_DEVICE);; *) runs=$(FUZZ_RUNS);; esac; \
		seeds=tests/fuzz/seeds/$$(basename $$t); corpus=; \
		if [ -d $$seeds ]; then corpus="$$t.corpus $$seeds"; rm -rf $$t.corpus; mkdir -p $$t.corpus; fi; \
		$$t -runs=$$runs -seed=1 -artifact_prefix=$(BUILD)/fuzz/ $$corpus > $$t.log 2>&1 || \
			{ tail -40 $$t.log; echo "fuzz: $$(basename $$t) failed; the input is in $(BUILD)/fuzz/"; exit 1; }; \
		echo "fuzz: $$(basename $$t): $$runs inputs, no failure"; \
	done

# `make test-unit` (and so `make check` and `make test`) includes the short run.
test-unit: test-fuzz

clean: clean-fuzz
clean-fuzz:
	rm -rf $(FUZZ_TARGETS) $(FUZZ_TARGETS:=.log) $(FUZZ_TARGETS:=.corpus)

.PHONY: fuzz test-fuzz clean-fuzz
