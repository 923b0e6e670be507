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
	kernel/demos/user.c \
	kernel/task.c \
	kernel/task_thread.c \
	kernel/syscall.c \
	kernel/syscall_ipc.c \
	kernel/accounting.c \
	kernel/failpoint.c \
	kernel/user_fault.c \
	kernel/umem.c \
	kernel/notify.c \
	kernel/handle.c \
	kernel/elf.c \
	kernel/boot_archive.c \
	kernel/runqueue.c \
	kernel/thread.c \
	kernel/sched.c \
	kernel/ipc.c \
	kernel/ipc_transfer.c \
	kernel/ipc_fastpath.c \
	kernel/irq.c \
	kernel/sleepq.c \
	kernel/sched_policy.c \
	kernel/trace.c

# The portable pieces that the host tests exercise.
HOST_SRCS += \
	kernel/notify.c \
	kernel/handle.c \
	kernel/elf.c \
	kernel/boot_archive.c \
	kernel/cmdline.c \
	kernel/ksyms.c \
	kernel/runqueue.c \
	kernel/thread.c \
	kernel/sched.c \
	kernel/ipc.c \
	kernel/irq.c \
	kernel/sleepq.c \
	kernel/sched_policy.c \
	kernel/trace.c

# Physical frames: the early bump allocator and the buddy allocator.
KERNEL_SRCS += kernel/bump.c kernel/frame.c kernel/ktest_env_memory.c
HOST_SRCS += kernel/bump.c kernel/frame.c

# Address spaces: the portable page-table code, the kernel's own map,
# guard-paged kernel stacks, and the memory demo.
KERNEL_SRCS += kernel/vspace.c kernel/vspace_asid.c kernel/vspace_tree.c kernel/kernel_vspace.c kernel/kstack.c \
	kernel/demos/memory.c
HOST_SRCS += kernel/vspace.c kernel/vspace_asid.c kernel/vspace_tree.c kernel/kstack.c

# User mode: tasks, their memory, system calls. Linked into the host tests
# too (with tests/host/fake_user.c), so umem's pointer checks run there.
HOST_SRCS += kernel/task.c kernel/task_thread.c kernel/umem.c kernel/syscall.c \
	kernel/syscall_ipc.c kernel/user_fault.c kernel/accounting.c
HOST_SRCS += kernel/ipc_fastpath.c kernel/ipc_transfer.c kernel/failpoint.c

# make bench: the harness, its groups and the demo (docs/benchmarks.md).
KERNEL_SRCS += kernel/bench/bench.c kernel/bench/bench_memory.c kernel/bench/bench_sched.c \
	kernel/bench/bench_user.c kernel/demos/bench.c
KERNEL_SRCS += kernel/irq_user.c
HOST_SRCS += kernel/irq_user.c
