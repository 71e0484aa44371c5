# Makefile - ringside: build the image, run it, test it. `make V=1` shows every command.
VERSION := 0.1.0
BUILD := build
PYTHON ?= /usr/bin/python3
CC := gcc
LD := ld

ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-7s %s\n' $(1) $(2)
endif

NEWLIB := $(BUILD)/newlib/x86_64-elf
NEWLIB_STAMP := $(BUILD)/newlib/.built-newlib-3.3.0
GCC_INC := $(shell $(CC) -print-file-name=include)
LIBGCC := $(shell $(CC) -print-libgcc-file-name)

# Kernel code: no red zone (interrupts push onto the same stack), frame
# pointers for the backtrace, SSE allowed (isr.S saves it; newlib uses it).
# -fbuiltin after -ffreestanding (which turns builtins off): a memcpy of 8
# bytes is one load, not a call into newlib, whose copies under 16 bytes are
# a rep movsb that TCG runs a byte per step (the RSDP scan: 56,000 steps).
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -fbuiltin -fno-pic -fno-pie -mno-red-zone \
	-fno-stack-protector -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -Wall -Wextra -Werror -Wno-unused-parameter \
	-nostdinc -isystem $(NEWLIB)/include -isystem $(GCC_INC) -I. -I$(BUILD) \
	-MMD -MP
KLDFLAGS := -m elf_x86_64 -T linker.ld -nostdlib -static -z max-page-size=0x1000 \
	-z noexecstack --no-warn-rwx-segments

KSRCS := $(wildcard boot/*.S kernel/*.S kernel/*.c lib/*.c block/*.c drivers/*/*.c net/*.c apps/*.c)
KOBJS := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(KSRCS)))
LIBS := --start-group $(NEWLIB)/lib/libc.a $(NEWLIB)/lib/libm.a $(LIBGCC) --end-group

.PHONY: all iso disk run run-iso debug ringview bench test test-unit test-integration test-full check \
	format clean deps fuzz-net FORCE
.DEFAULT_GOAL := all

all: deps $(BUILD)/ringside.elf compile_commands.json

deps:
	$(Q)scripts/deps.sh

$(NEWLIB_STAMP): scripts/newlib.sh | deps
	$(Q)scripts/newlib.sh $(BUILD)

# The build id changes with every commit; only files that include version.h rebuild.
$(BUILD)/version.h: FORCE
	$(Q)mkdir -p $(BUILD)
	$(Q)id=$$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown); \
	git diff --quiet HEAD 2>/dev/null || id=$$id-dirty; \
	printf '#define RINGSIDE_VERSION "%s"\n#define RINGSIDE_BUILD_ID "%s"\n' '$(VERSION)' "$$id" > $@.tmp; \
	cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

# The compiler and its flags: a change to them rebuilds every object, as a
# changed header rebuilds those that include it.
$(BUILD)/kcflags: FORCE
	$(Q)mkdir -p $(BUILD)
	$(Q)printf '%s\n' '$(CC) $(KCFLAGS)' > $@.tmp; cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/obj/%.o: %.c $(NEWLIB_STAMP) $(BUILD)/kcflags | $(BUILD)/version.h
	$(call say,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -include $(BUILD)/version.h -c $< -o $@

$(BUILD)/obj/%.o: %.S $(NEWLIB_STAMP) $(BUILD)/kcflags
	$(call say,AS,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

# Two links: the first one's function addresses become the symbol table that
# the second embeds (.ksyms sits after all code, so no function moves).
$(BUILD)/ksyms0.o: scripts/ksyms.sh
	$(Q)mkdir -p $(BUILD)
	$(Q)scripts/ksyms.sh /dev/null > $(BUILD)/ksyms0.S
	$(Q)$(CC) -c $(BUILD)/ksyms0.S -o $@

$(BUILD)/ringside.elf: $(KOBJS) $(BUILD)/ksyms0.o linker.ld scripts/ksyms.sh
	$(call say,LD,$@)
	$(Q)$(LD) $(KLDFLAGS) -o $(BUILD)/ringside.1.elf $(KOBJS) $(BUILD)/ksyms0.o $(LIBS)
	$(Q)nm -n -S --defined-only $(BUILD)/ringside.1.elf > $(BUILD)/ringside.1.nm
	$(Q)scripts/ksyms.sh $(BUILD)/ringside.1.nm > $(BUILD)/ksyms.S
	$(Q)$(CC) -c $(BUILD)/ksyms.S -o $(BUILD)/ksyms.o
	$(Q)$(LD) $(KLDFLAGS) -o $@.tmp $(KOBJS) $(BUILD)/ksyms.o $(LIBS)
	$(Q)nm -n -S --defined-only $@.tmp | grep ' [tTwW] ' > $(BUILD)/ringside.2.nm; \
	grep ' [tTwW] ' $(BUILD)/ringside.1.nm | cmp -s - $(BUILD)/ringside.2.nm || \
	{ echo "ksyms: functions moved between the two links" >&2; exit 1; }
	$(Q)mv $@.tmp $@
	$(Q)nm -n $@ > $(BUILD)/ringside.sym
	$(Q)objdump -d -S --no-show-raw-insn $@ > $(BUILD)/ringside.asm
	$(call say,OK,"$@ ($$(stat -c %s $@) bytes)")

# GRUB boots the same ELF with multiboot2 from an ISO.
CMDLINE ?=
iso: deps $(BUILD)/ringside.iso
$(BUILD)/ringside.iso: $(BUILD)/ringside.elf scripts/mkiso.sh
	$(call say,ISO,$@)
	$(Q)scripts/mkiso.sh $(BUILD)/ringside.elf $@ "$(CMDLINE)"

# The default disk: 8 MiB, a text header in sector 0 and a pattern after it.
disk: $(BUILD)/disk.img
$(BUILD)/disk.img:
	$(call say,DISK,$@)
	$(Q)mkdir -p $(BUILD)
	$(Q)$(PYTHON) scripts/mkdisk.py $@ 8

QEMU_ARGS ?=
# MACHINE=q35 (default), pc or microvm (virtio-mmio; MMIO=legacy for its version 1)
MACHINE ?=
MMIO ?=
MACHINE_ARGS = $(if $(MACHINE),--machine $(MACHINE)) $(if $(MMIO),--mmio $(MMIO))
run: all disk
	scripts/qemu.sh $(MACHINE_ARGS) --disk $(BUILD)/disk.img $(if $(CMDLINE),--append "$(CMDLINE)") $(QEMU_ARGS)

run-iso: all iso disk
	scripts/qemu.sh --iso $(BUILD)/ringside.iso --disk $(BUILD)/disk.img $(QEMU_ARGS)

debug: all disk
	scripts/debug.sh $(MACHINE_ARGS) --disk $(BUILD)/disk.img $(QEMU_ARGS)

# The ring viewer: boot with the ring trace on (split, then packed rings), run a blk read, a ping
# and a TFTP read, write build/ringview/index.html beside the traces. RINGVIEW_OUT=scripts/ringview
# refreshes the examples shipped in the repository.
RINGVIEW_OUT ?= $(BUILD)/ringview
ringview: all
	$(Q)$(PYTHON) scripts/ringview/capture.py --out $(RINGVIEW_OUT)

# Host unit tests, with AddressSanitizer and UBSan.
UNIT_CFLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror -Wno-unused-parameter -I. -Itests/unit -DHOST_TEST \
	-MMD -MP
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
# Tests #include the sources they test: rebuild when any of those changes.
-include $(UNIT_TESTS:=.d)
# libFuzzer targets: `make fuzz`, and the short run that test-unit includes.
include tests/fuzz/fuzz.mk

$(BUILD)/unit/%: tests/unit/%.c tests/unit/unit.h $(wildcard tests/sim/*.c tests/sim/*.h)
	$(call say,HOSTCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(UNIT_CFLAGS) -o $@ $<

# The net tests include net/*.c (and the fake in test_net.h): rebuild them when those change.
$(filter $(BUILD)/unit/test_net%,$(UNIT_TESTS)): $(wildcard net/*.c net/*.h) tests/unit/test_net.h

test-unit: deps $(UNIT_TESTS)
	$(Q)scripts/run-unit.sh $(UNIT_TESTS)

test-integration: all iso disk
	$(Q)$(PYTHON) -m pytest -q tests/integration $(PYTEST_ARGS)

# ringside against a Linux guest on the same QEMU: docs/PERFORMANCE.md and its plots.
# Not part of `make test` (about 15 minutes under TCG with the Linux guest built from scratch;
# QUICK=1 about 3); REPS=N for more repetitions. The network parts need root (ip netns, tap).
bench: all
	$(Q)REPS=$(REPS) QUICK=$(QUICK) scripts/bench/run.sh

# libFuzzer on the net stack's input: a short run from seeds, or longer with FUZZ_SECS=N.
# (FUZZ_CFLAGS comes from tests/fuzz/fuzz.mk.)
FUZZ_SECS ?= 20
$(BUILD)/fuzz/net_input_fuzz: tests/fuzz/net_input_fuzz.c $(wildcard net/*.c net/*.h)
	$(call say,FUZZCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $<

fuzz-net: $(BUILD)/fuzz/net_input_fuzz
	$(Q)mkdir -p $(BUILD)/fuzz/net_input_corpus
	$(Q)$(PYTHON) tests/fuzz/net_input_seeds.py $(BUILD)/fuzz/net_input_seeds
	$(Q)$(BUILD)/fuzz/net_input_fuzz -max_total_time=$(FUZZ_SECS) -timeout=5 \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/net_input_corpus $(BUILD)/fuzz/net_input_seeds \
		> $(BUILD)/fuzz/net_input.log 2>&1 || { tail -40 $(BUILD)/fuzz/net_input.log; exit 1; }
	$(Q)echo "fuzz: net_input: $$(grep -o 'Done [0-9]* runs' $(BUILD)/fuzz/net_input.log), no crash"

# `make fuzz` runs the frame target as long as the others (FUZZ_TIME, tests/fuzz/fuzz.mk).
fuzz: fuzz-net-long
fuzz-net-long:
	$(Q)$(MAKE) --no-print-directory fuzz-net FUZZ_SECS=$(FUZZ_TIME)
.PHONY: fuzz-net-long

# Every test: unit tests, the fuzz runs, then the QEMU tests (pytest prints the summary last).
test: test-unit fuzz-net test-integration

# The long runs: every cross product the quick matrix leaves out.
test-full: test-unit all iso disk
	$(Q)RINGSIDE_FULL=1 $(PYTHON) -m pytest -q tests/integration $(PYTEST_ARGS)

FORMAT_SRCS = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
check: deps
	$(call say,FORMAT,"clang-format --dry-run")
	$(Q)clang-format --dry-run -Werror $(FORMAT_SRCS)
	$(call say,CPPCHECK,"kernel lib block drivers net apps")
	$(Q)cppcheck -q --error-exitcode=1 --std=c11 --inline-suppr \
		--enable=warning,portability --suppress=missingIncludeSystem \
		-I. -D__x86_64__ -DRINGSIDE_VERSION='"x"' -DRINGSIDE_BUILD_ID='"x"' \
		$(wildcard kernel lib block drivers net apps)
	$(Q)$(MAKE) --no-print-directory test-unit

format:
	clang-format -i $(FORMAT_SRCS)

compile_commands.json: Makefile scripts/compile-commands.sh $(KSRCS)
	$(Q)scripts/compile-commands.sh "$(CC) $(KCFLAGS)" $(KSRCS) > $@

clean:
	rm -rf $(BUILD)/obj $(BUILD)/unit $(BUILD)/*.elf $(BUILD)/*.iso $(BUILD)/*.o $(BUILD)/*.S \
		$(BUILD)/*.nm $(BUILD)/*.sym $(BUILD)/*.asm $(BUILD)/version.h $(BUILD)/disk.img $(BUILD)/iso

distclean:
	rm -rf $(BUILD)

FORCE:
-include $(KOBJS:.o=.d)
