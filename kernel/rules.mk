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
	kernel/runqueue.c \
	kernel/thread.c \
	kernel/sched.c \
	kernel/ipc.c

# The portable pieces that the host tests exercise.
HOST_SRCS += \
	kernel/cmdline.c \
	kernel/ksyms.c \
	kernel/runqueue.c \
	kernel/thread.c \
	kernel/sched.c \
	kernel/ipc.c
