/*
 * The sizes of the kernel's static tables, in one place. Threads and
 * endpoints live in fixed arrays (as xv6's proc[NPROC] does): nothing to
 * allocate, easy to inspect in a debugger, easy to test on the host.
 */
#ifndef KERNEL_CONFIG_H
#define KERNEL_CONFIG_H

/* Threads, including the boot thread ("main") and the idle thread. */
#define CONFIG_MAX_THREADS      64
/* Each kernel thread's stack, in bytes. */
#define CONFIG_KSTACK_SIZE      8192
/* Priorities 0 (lowest) to CONFIG_PRIORITIES - 1 (highest); one bit each in a 32-bit map. */
#define CONFIG_PRIORITIES       32
/* The priority of the boot thread and of threads that do not ask for one. */
#define CONFIG_DEFAULT_PRIORITY 10

/* IPC endpoints, and the deepest mailbox one may have. */
#define CONFIG_MAX_ENDPOINTS      32
#define CONFIG_MAX_ENDPOINT_DEPTH 8

/* Notifications. */
#define CONFIG_MAX_NOTIFICATIONS 32

/* User tasks, and the handles each may hold (threads per task: TASK_MAX_THREADS
 * in uapi/syscall.h, since user programs need to know it too). */
#define CONFIG_MAX_TASKS   16
#define CONFIG_MAX_HANDLES 32

/* Interrupt lines bound to user-mode drivers at once. */
#define CONFIG_MAX_IRQ_BINDINGS 16

#endif
