# The kernel's one Makefile. It is non-recursive: each directory lists its
# sources in a small rules.mk fragment, included below, and every object is
# built here under $(BUILD).
#
#   make                  build build/kernel.elf and build/kernel.img (GCC)
#   make LLVM=1           the same with clang and ld.lld
#   make OPT=-O0          pick the optimisation level (-O0, -O2 default, -Os)
#   make run [DEMO=name] [CMDLINE="..."] [MEM=256M] [QEMU_EXTRA="..."]
#            [QEMU_MACHINE=virt,gic-version=2,virtualization=on]
#   make test             host unit tests, then QEMU scenarios, both toolchains
#   make fault-inject     every kernel allocation made to fail in turn [ONLY=scenario POINT=n]
#   make fuzz             random system calls from killed and respawned tasks [SEED=s CALLS=n]
#   make debug            QEMU halted with a gdb stub, a debugger attached (GDB=...)
#   make trace [DEMO=name] a traced kernel runs the demo: build/trace.json and .svg
#   make exercise N=2.3   check your work on a chapter's exercise (make exercises lists them)
#
# See README.md and docs/DEVELOPMENT_SETUP.md.

BUILD ?= build
.DEFAULT_GOAL := all
OPT ?= -O2
# Whether each allocation checks that its frames were not written while
# free (include/kernel/frame.h): in the -O0 builds.
FRAME_CHECK ?= $(if $(filter -O0,$(OPT)),1,0)
# Whether the kernel records events for make trace (include/kernel/trace.h).
CONFIG_TRACE ?= 0
DEMO ?= user
# The demo the kernel runs when the command line names none.
DEFAULT_DEMO ?= user
CMDLINE ?=
QEMU_EXTRA ?=
MEM ?= 256M
CROSS_COMPILE ?= aarch64-linux-gnu-

ifeq ($(LLVM),1)
CC := clang --target=aarch64-none-elf
LD := ld.lld
OBJCOPY := llvm-objcopy
NM := llvm-nm
OBJDUMP := llvm-objdump
TOOLCHAIN_CFLAGS :=
else
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NM := $(CROSS_COMPILE)nm
OBJDUMP := $(CROSS_COMPILE)objdump
# Debian's cross gcc targets Linux: without these it would call libgcc's
# outline atomics (which need __getauxval) and emit loop idioms as calls to
# memset/memcpy, even from inside memset itself.
TOOLCHAIN_CFLAGS := -mno-outline-atomics -fno-tree-loop-distribute-patterns
endif

QEMU ?= qemu-system-aarch64
HOST_CC ?= cc
PYTHON ?= python3

# Everything the kernel needs to be freestanding, and nothing of Linux's ABI.
KERNEL_CFLAGS := -std=c11 -Wall -Wextra -Werror $(OPT) -g \
	-ffreestanding -nostdlib -fno-pie -fno-pic -fno-stack-protector \
	-mgeneral-regs-only -march=armv8-a \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	$(TOOLCHAIN_CFLAGS) -Iinclude -Iarch/aarch64/include -Iplatform/qemu-virt/include \
	-I$(BUILD)/include -MMD -MP \
	-DCONFIG_DEFAULT_DEMO='"$(DEFAULT_DEMO)"' -DCONFIG_FRAME_CHECK=$(FRAME_CHECK) \
	-DCONFIG_TRACE=$(CONFIG_TRACE)
KERNEL_ASFLAGS := $(filter-out -std=c11,$(KERNEL_CFLAGS)) -D__ASSEMBLY__
KERNEL_LDFLAGS := -nostdlib -static --no-dynamic-linker --build-id=none \
	-z max-page-size=4096 -z norelro -T $(BUILD)/kernel.ld

# The host build of the portable code, for unit tests under the sanitizers.
HOST_CFLAGS := -std=c11 -Wall -Wextra -Werror -g -O1 -DHOST_BUILD -DCONFIG_FRAME_CHECK=1 -fno-builtin \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-Iinclude -Iarch/aarch64/include -MMD -MP

KERNEL_SRCS :=
HOST_SRCS :=
KERNEL_EXTRA_OBJS :=
include arch/aarch64/rules.mk
include drivers/rules.mk
include platform/qemu-virt/rules.mk
include kernel/rules.mk
include lib/rules.mk
include tests/rules.mk
include user/rules.mk

KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(KERNEL_SRCS)))
HOST_OBJS := $(patsubst %,$(BUILD)/host/%.o,$(basename $(HOST_SRCS)))

.PHONY: all kernel run debug test host-test qemu-test clean format tools help bench \
	fault-inject fuzz trace
all: kernel
kernel: $(BUILD)/kernel.elf $(BUILD)/kernel.img $(BUILD)/kernel.asm $(BUILD)/kernel.sym

# Recompile everything when the flags change (OPT, LLVM, ...).
$(BUILD)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(KERNEL_CFLAGS)' | cmp -s - $@ || echo '$(CC) $(KERNEL_CFLAGS)' > $@
FORCE:

$(BUILD)/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) $(CFLAGS_$(subst /,_,$(basename $<))) -c $< -o $@

# The structure offsets the assembly reads, generated from C (see
# arch/aarch64/asm_offsets.c): compiled to assembly, each "->NAME value"
# marker becomes "#define NAME value".
ASM_OFFSETS := $(BUILD)/include/generated/asm_offsets.h
$(ASM_OFFSETS): arch/aarch64/asm_offsets.c $(BUILD)/.flags
	@mkdir -p $(@D)
	@echo "  GEN     $@"
	@$(CC) $(KERNEL_CFLAGS) -MF $(@:.h=.d) -MT $@ -S $< -o $(@:.h=.s)
	@{ echo "/* Generated from arch/aarch64/asm_offsets.c: do not edit. */"; \
	  sed -n 's/^[[:space:]]*\.ascii[[:space:]]*"->\([A-Za-z0-9_]*\)[[:space:]]*#\{0,1\}\(-\{0,1\}[0-9][0-9]*\).*/#define \1 \2/p' \
	  $(@:.h=.s); } > $@.tmp && mv $@.tmp $@

$(BUILD)/%.o: %.S $(BUILD)/.flags $(ASM_OFFSETS)
	@mkdir -p $(@D)
	@echo "  AS      $<"
	@$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(BUILD)/kernel.ld: arch/aarch64/kernel.ld.S arch/aarch64/include/arch/memory_layout.h
	@mkdir -p $(@D)
	@$(CC) -E -P -x c -D__ASSEMBLY__ -Iarch/aarch64/include $< -o $@

# Two-pass link. Pass 1 links with an empty symbol table; its text symbols
# become build/ksyms.S; pass 2 links that table in. The .ksyms section comes
# after all code, so no function moves between the passes (checked below).
$(BUILD)/kernel.pass1.elf: $(KERNEL_OBJS) $(KERNEL_EXTRA_OBJS) $(BUILD)/ksyms_empty.o $(BUILD)/kernel.ld
	@echo "  LD      $@"
	@$(LD) $(KERNEL_LDFLAGS) $(KERNEL_OBJS) $(KERNEL_EXTRA_OBJS) $(BUILD)/ksyms_empty.o -o $@

$(BUILD)/ksyms_empty.S: scripts/gen-ksyms.py
	@mkdir -p $(@D)
	@$(PYTHON) scripts/gen-ksyms.py --empty > $@

$(BUILD)/ksyms.S: $(BUILD)/kernel.pass1.elf scripts/gen-ksyms.py
	@echo "  KSYMS   $@"
	@$(NM) -n $< | $(PYTHON) scripts/gen-ksyms.py > $@

$(BUILD)/ksyms.o: $(BUILD)/ksyms.S
	@$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(BUILD)/ksyms_empty.o: $(BUILD)/ksyms_empty.S
	@$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(BUILD)/kernel.elf: $(KERNEL_OBJS) $(KERNEL_EXTRA_OBJS) $(BUILD)/ksyms.o $(BUILD)/kernel.ld
	@echo "  LD      $@"
	@$(LD) $(KERNEL_LDFLAGS) $(KERNEL_OBJS) $(KERNEL_EXTRA_OBJS) $(BUILD)/ksyms.o -o $@
	@$(NM) -n $(BUILD)/kernel.pass1.elf | grep -i ' t ' > $(BUILD)/text.pass1
	@$(NM) -n $@ | grep -i ' t ' > $(BUILD)/text.pass2
	@cmp -s $(BUILD)/text.pass1 $(BUILD)/text.pass2 || \
		{ echo "error: text symbols moved between link passes"; rm -f $@; exit 1; }

$(BUILD)/kernel.img: $(BUILD)/kernel.elf
	@echo "  IMAGE   $@"
	@$(OBJCOPY) -O binary $< $@

$(BUILD)/kernel.asm: $(BUILD)/kernel.elf
	@$(OBJDUMP) -d -S $< > $@ 2>/dev/null || $(OBJDUMP) -d $< > $@

$(BUILD)/kernel.sym: $(BUILD)/kernel.elf
	@$(NM) -n $< > $@

# ---- running ----------------------------------------------------------------

QEMU_MACHINE ?= virt,gic-version=2
QEMU_FLAGS = -machine $(QEMU_MACHINE) -cpu cortex-a53 -m $(MEM) -nographic \
	-semihosting-config enable=on,target=native $(QEMU_EXTRA)

# Only make debug needs a debugger (gdb-multiarch, a gdb for AArch64, or lldb).
tools:
	@scripts/setup.sh --if-missing $(if $(filter debug,$(MAKECMDGOALS)),--for debug)

run: tools kernel
	@echo "Booting $(BUILD)/kernel.elf in QEMU (demo=$(DEMO)). Quit with Ctrl-A X."
	$(QEMU) $(QEMU_FLAGS) -kernel $(BUILD)/kernel.elf -append "demo=$(DEMO) $(CMDLINE)"

debug: tools kernel
	scripts/debug.sh $(BUILD)/kernel.elf "$(QEMU_FLAGS)" "demo=$(DEMO) $(CMDLINE)"

# make trace: the demo on a kernel built with CONFIG_TRACE=1 in its own
# directory, with "exit"; the event buffer it prints at the end is drawn
# by scripts/trace.py as $(BUILD)/trace.json (Perfetto, chrome://tracing)
# and $(BUILD)/trace.svg (any browser). Under -icount the guest's clock
# counts instructions (one per nanosecond), so a trace is the same on
# every run and every host; TRACE_ICOUNT= traces in host time instead.
TRACE_BUILD := $(BUILD)/trace
TRACE_ICOUNT ?= -icount shift=0,sleep=off
trace: tools
	@$(MAKE) --no-print-directory BUILD=$(TRACE_BUILD) CONFIG_TRACE=1 kernel
	@echo "Tracing demo=$(DEMO) on $(TRACE_BUILD)/kernel.elf; its console: $(TRACE_BUILD)/console.log"
	@$(QEMU) $(QEMU_FLAGS) $(TRACE_ICOUNT) -kernel $(TRACE_BUILD)/kernel.elf \
		-append "demo=$(DEMO) $(CMDLINE) exit" </dev/null >$(TRACE_BUILD)/console.log || \
		{ grep -v '^trace: ' $(TRACE_BUILD)/console.log; exit 1; }
	@$(PYTHON) scripts/trace.py $(TRACE_BUILD)/console.log --echo --json $(BUILD)/trace.json \
		--svg $(BUILD)/trace.svg

# ---- tests --------------------------------------------------------------------

$(BUILD)/host/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	@$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/host/ktest-host: $(HOST_OBJS)
	@echo "  HOSTLD  $@"
	@$(HOST_CC) $(HOST_CFLAGS) $^ -o $@

$(BUILD)/virt.dtb:
	@mkdir -p $(@D)
	@$(QEMU) -machine virt,gic-version=2,dumpdtb=$@ -cpu cortex-a53 -m 256M -nographic >/dev/null

host-test: $(BUILD)/host/ktest-host $(BUILD)/virt.dtb
	$(BUILD)/host/ktest-host --dtb $(BUILD)/virt.dtb

# The QEMU scenarios run against every build listed in TEST_BUILDS:
# full scenarios for the -O2 builds of both toolchains, a smoke set for the rest.
TEST_CONFIGS := gcc:-O2:full llvm:-O2:full gcc:-O0:smoke gcc:-Os:smoke llvm:-O0:smoke llvm:-Os:smoke
test: tools
	@BUILD=$(BUILD) scripts/run-tests.sh $(TEST_CONFIGS)

# The long robustness runs (scripts/robustness.py; docs/security.md): the
# last line printed is the verdict, and the exit status says it too.
SEED ?= 1
CALLS ?= 1000000
fault-inject: tools kernel
	@$(PYTHON) scripts/robustness.py fault-inject --build $(BUILD) $(if $(ONLY),--only $(ONLY)) \
		$(if $(POINT),--nth $(POINT))

fuzz: tools kernel
	@$(PYTHON) scripts/robustness.py fuzz --build $(BUILD) --seed $(SEED) --calls $(CALLS)

# make bench: every figure of demo=bench under qemu -icount, run twice (they
# must agree), printed as a table and written to $(BUILD)/bench.json.
# make bench-docs then rewrites the generated tables in docs/benchmarks.md.
BENCH_ITERATIONS ?= 1000
.PHONY: bench-docs
bench: kernel
	$(PYTHON) scripts/bench.py --build $(BUILD) --iterations $(BENCH_ITERATIONS)

bench-docs: bench
	$(MAKE) LLVM=1 BUILD=$(BUILD)/llvm bench
	$(PYTHON) scripts/bench.py --build $(BUILD) --docs docs/benchmarks.md \
		--clang-json $(BUILD)/llvm/bench.json

# The chapters' exercises (scripts/exercise.py): make exercise N=2.3 checks
# one; make check-solutions applies every solution in a scratch worktree and
# checks it (CI runs it after make test).
.PHONY: exercise exercises check-solutions
exercise:
	@$(PYTHON) scripts/exercise.py check $(N)
exercises:
	@$(PYTHON) scripts/exercise.py list
check-solutions: tools
	@$(PYTHON) scripts/exercise.py verify-solutions $(N)

format:
	clang-format -i $$(git ls-files --cached --others --exclude-standard '*.c' '*.h')

# Removes $(BUILD) (make clean BUILD=/tmp/x cleans that one) and dist/.
clean:
	@case "$(strip $(BUILD))" in ""|.|./|..|../|/|~) \
		echo "make clean: BUILD=$(BUILD) is not a build directory" >&2; exit 1;; esac
	rm -rf $(BUILD) dist

help:
	@sed -n "1,17p" Makefile

-include $(KERNEL_OBJS:.o=.d) $(HOST_OBJS:.o=.d) $(ASM_OFFSETS:.h=.d)
