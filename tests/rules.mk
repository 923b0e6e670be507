# ktest cases: compiled into the kernel (run with "ktest" on the command
# line) and into the host test binary.
KTEST_SRCS := $(wildcard tests/ktest/*.c)

KERNEL_SRCS += $(KTEST_SRCS)
HOST_SRCS += $(KTEST_SRCS) tests/host/main.c tests/host/host_console.c \
	tests/host/host_panic.c tests/host/fake_context.c tests/host/fake_irq_timer.c
# Fake physical memory (hal/memory.h) for the host build.
HOST_SRCS += tests/host/fake_memory.c
# The MMU's instructions (recorded, not executed) and a kernel vspace for kstack tests.
HOST_SRCS += tests/host/fake_tlb.c tests/host/fake_kernel_vspace.c
# No EL0 on the host: entering user mode aborts; FP/SIMD needs no switching.
HOST_SRCS += tests/host/fake_user.c
