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
	arch/aarch64/memory.c \
	arch/aarch64/power.c \
	arch/aarch64/semihosting.c

# Runs with the MMU off, where every access is to Device memory and must be aligned.
CFLAGS_arch_aarch64_boot_mmu := -mstrict-align

# The ESR decoder is plain C: the host tests check it too.
HOST_SRCS += arch/aarch64/esr.c
