KERNEL_SRCS += \
	arch/aarch64/boot.S \
	arch/aarch64/boot_mmu.c \
	arch/aarch64/vectors.S \
	arch/aarch64/context_switch.S \
	arch/aarch64/context.c \
	arch/aarch64/setup.c \
	arch/aarch64/linear_map.c \
	arch/aarch64/exception.c \
	arch/aarch64/esr.c \
	arch/aarch64/backtrace.c \
	arch/aarch64/cpu.c \
	arch/aarch64/irq_mask.c \
	arch/aarch64/timer.c \
	arch/aarch64/user_entry.S \
	arch/aarch64/fpsimd.c \
	arch/aarch64/memory.c \
	arch/aarch64/power.c \
	arch/aarch64/semihosting.c

# Runs with the MMU off, where every access is to Device memory and must be aligned.
CFLAGS_arch_aarch64_boot_mmu := -mstrict-align

# The ESR decoder is plain C: the host tests check it too.
HOST_SRCS += arch/aarch64/esr.c

# The MMU: descriptor format (plain C, so the host tests link it too), the
# TLB and TTBR instructions, and the hand-over to the kernel's own tables.
KERNEL_SRCS += arch/aarch64/mmu.c arch/aarch64/tlb.c arch/aarch64/kernel_map.c
HOST_SRCS += arch/aarch64/mmu.c

# The performance counters, for make bench (include/hal/perf.h).
KERNEL_SRCS += arch/aarch64/perf.c
