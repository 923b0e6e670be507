KERNEL_SRCS += \
	kernel/main.c \
	kernel/console.c \
	kernel/panic.c \
	kernel/fault.c \
	kernel/backtrace.c \
	kernel/ksyms.c \
	kernel/cmdline.c \
	kernel/demo.c \
	kernel/test_hooks.c \
	kernel/demos/boot.c \
	kernel/demos/ipc.c \
	kernel/demos/ipc_sync.c \
	kernel/demos/ipc_stress.c \
	kernel/demos/timer.c \
	kernel/demos/preempt.c \
	kernel/demos/sleep.c \
	kernel/runqueue.c \
	kernel/thread.c \
	kernel/sched.c \
	kernel/ipc.c \
	kernel/irq.c \
	kernel/sleepq.c \
	kernel/sched_policy.c

# The portable pieces that the host tests exercise.
HOST_SRCS += \
	kernel/cmdline.c \
	kernel/ksyms.c \
	kernel/runqueue.c \
	kernel/thread.c \
	kernel/sched.c \
	kernel/ipc.c \
	kernel/irq.c \
	kernel/sleepq.c \
	kernel/sched_policy.c

# Physical frames: the early bump allocator and the buddy allocator.
KERNEL_SRCS += kernel/bump.c kernel/frame.c kernel/ktest_env_memory.c
HOST_SRCS += kernel/bump.c kernel/frame.c
