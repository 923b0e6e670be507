/*
 * The system call interface between user programs and the kernel.
 *
 * ABI: "svc #0" with the call number in x8 and up to six arguments in
 * x0-x5. The result comes back in x0: a value >= 0, or a negative error
 * code from uapi/errors.h. Like a function call, a system call preserves
 * x19-x29, x30 and sp, and may change x1-x18: the IPC calls return a
 * message in x1-x6, and the rest of x1-x18 may come back as anything (the
 * kernel never leaves its own or another task's values there). That lets
 * the kernel save and restore only what C does not keep for it.
 *
 * IPC messages travel in registers when they are short: "msginfo" packs
 * the label and length, and words 0-3 ride in x2-x5. Words 4 and up live in
 * the thread's IPC buffer: a page of its own, which the kernel maps in the
 * IPC buffer area (IPC_BUFFER_VA onwards, one page per thread) and whose
 * address it keeps in TPIDRRO_EL0, which user mode can read but not write.
 *
 *   send, try_send, call, reply, reply_recv (sending half):
 *       x0 = handle (unused by reply), x1 = msginfo, x2-x5 = words 0-3
 *   recv, try_recv, call and reply_recv (receiving half) return:
 *       x0 = 0 or error, x1 = msginfo, x2-x5 = words 0-3, x6 = badge
 */
#ifndef UAPI_SYSCALL_H
#define UAPI_SYSCALL_H

#include <stdint.h>

#include "uapi/ipc.h"

/* The first three are the calls the kernel entry looks at before it saves
 * anything (the fast paths, docs/part5-user-mode.md): numbering them 0-2
 * lets one comparison send every other call on its way. */
enum syscall_number {
    SYS_CALL = 0,             /* (handle, msginfo, w0..w3) -> reply */
    SYS_REPLY_RECV = 1,       /* (handle, msginfo, w0..w3) -> next message */
    SYS_YIELD = 2,            /* () */
    SYS_EXIT = 3,             /* (status): ends the calling task */
    SYS_SLEEP = 4,            /* (nanoseconds) */
    SYS_SEND = 5,             /* (handle, msginfo, w0..w3) */
    SYS_RECV = 6,             /* (handle) -> message */
    SYS_REPLY = 7,            /* (unused, msginfo, w0..w3) */
    SYS_TRY_SEND = 8,         /* (handle, msginfo, w0..w3) */
    SYS_TRY_RECV = 9,         /* (handle) -> message */
    SYS_SIGNAL = 10,          /* (handle, bits) */
    SYS_WAIT = 11,            /* (handle) -> bits */
    SYS_ENDPOINT_CREATE = 12, /* (depth) -> handle */
    SYS_NOTIFY_CREATE = 13,   /* () -> handle */
    SYS_HANDLE_CLOSE = 14,    /* (handle) */
    SYS_SPAWN = 15,           /* ("name args" string, handles, handle_count) -> task handle */
    SYS_TASK_WAIT = 16,       /* (task handle) -> exit status (or E_DEAD if killed) */
    SYS_MAP = 17,             /* (va, size, prot) -> va */
    SYS_UNMAP = 18,           /* (va, size) */
    SYS_DEBUG_WRITE = 19,     /* (buffer, length) -> bytes written */
    SYS_TASK_INFO = 20,       /* (struct task_info *) */
    SYS_THREAD_CREATE = 21,   /* (entry, stack top, arg0, arg1) -> thread id */
    SYS_THREAD_EXIT = 22,     /* (): ends the calling thread; the last one ends the task */
    SYS_IRQ_BIND = 23,        /* (irq control handle, irq, notification handle, bit) */
    SYS_IRQ_ACK = 24,         /* (irq control handle, irq): unmask after serving it */
    SYS_IRQ_TRIGGER = 25,     /* (irq control handle, irq): make a bound irq pending */
    SYS_TASK_KILL = 26,       /* (task handle): end that task; its waiters see E_DEAD */
    SYS_KERNEL_COUNTS = 27,   /* (struct kernel_counts *): what the kernel holds now */
    SYS_FAILPOINT = 28,       /* (n): make the n-th allocation from now fail (0: stop, a
                                 huge n: only count); -> allocations passed since the last
                                 call. Only with "faultinject" on the kernel command
                                 line, else E_PERM */
    SYS_FAULT_HANDLER = 29,   /* (task handle or TASK_SELF, endpoint handle or FAULT_HANDLER_NONE):
                                 where that task's faults go, as messages (below) */
    SYS_TASK_MAP = 30,        /* (task handle or TASK_SELF, va, size, prot) -> va: SYS_MAP
                                 into that task (a pager's answer to a fault); into
                                 another task at most TASK_MAP_MAX_SIZE, else E_RANGE */
    SYSCALL_COUNT
};

/* "This task", where a system call takes a task handle. */
#define TASK_SELF ((uint64_t)-1)

/* The most SYS_TASK_MAP maps into another task at once (64 pages): such a
 * map runs to its end without a preemption point. */
#define TASK_MAP_MAX_SIZE (64ULL * 4096)

/*
 * Faults. A task with a fault handler (SYS_FAULT_HANDLER) does not die of a
 * fault: the faulting thread stops and calls the handler's endpoint, the
 * kernel speaking for it, with the message
 *   label FAULT_MSG_LABEL, 4 words: kind (FAULT_*), address (for an abort;
 *   else 0), pc, and the architecture's syndrome (ESR_EL1 on AArch64);
 *   badge: the faulting task's id.
 * The handler's reply decides: label FAULT_RESUME resumes the thread at the
 * instruction that faulted (to try it again, say after mapping the page),
 * or at word 0 if the reply has one; any other label, or a handler that
 * dies before replying, ends the task as a fault does without a handler,
 * with the same report.
 */
#define FAULT_HANDLER_NONE ((uint64_t)-1)
#define FAULT_MSG_LABEL    0xfa17u
#define FAULT_RESUME       0u
enum fault_kind {
    FAULT_READ = 1,  /* a load from an address it may not read */
    FAULT_WRITE = 2, /* a store to an address it may not write */
    FAULT_EXEC = 3,  /* an instruction fetch from an address it may not execute */
    FAULT_OTHER = 4, /* any other exception: an undefined instruction, a breakpoint, ... */
};

/* The highest number of the three the entry takes first. */
#define SYSCALL_FAST_LAST SYS_YIELD

/* msginfo: label in bits 63..32, length (words) in bits 6..0, and a
 * handle to transfer with the message in bits 31..16 when bit 15 is set.
 * The receiver gets the handle under a number of its own; if its handle
 * table is full, the handle is dropped and bit 15 stays clear. */
#define MSGINFO(label, length) (((uint64_t)(label) << 32) | ((uint64_t)(length)&0x7f))
#define MSGINFO_WITH_HANDLE(label, length, handle)                                                 \
    (MSGINFO(label, length) | (1u << 15) | ((uint64_t)((handle)&0xffff) << 16))
#define MSGINFO_LABEL(info)      ((uint32_t)((info) >> 32))
#define MSGINFO_LENGTH(info)     ((uint32_t)((info)&0x7f))
#define MSGINFO_HAS_HANDLE(info) (((info) >> 15) & 1)
#define MSGINFO_HANDLE(info)     ((uint32_t)(((info) >> 16) & 0xffff))
/* The label and length alone: MSGINFO(MSGINFO_LABEL(info), MSGINFO_LENGTH(info)). */
#define MSGINFO_PLAIN(info)      ((uint64_t)(info)&0xffffffff0000007fULL)

/* Memory protections for SYS_MAP. SYS_MAP refuses the IPC buffer area
 * (E_INVAL): its pages are the kernel's to map, one per thread. */
#define PROT_READ  1
#define PROT_WRITE 2
#define PROT_EXEC  4

/* The fixed parts of every task's address space. */
#define USER_SPACE_TOP   0x0001000000000000ULL /* first address above user space */
#define USER_STACK_TOP   0x0000800000000000ULL
#define USER_STACK_PAGES 16
#define IPC_BUFFER_VA    0x0000700000000000ULL /* thread k's buffer: + k pages */
#define TASK_MAX_THREADS 16
#define USER_MAP_BASE    0x0000100000000000ULL /* where SYS_MAP puts memory given va 0 */

struct task_info {
    uint64_t task_id;
    uint64_t exception_level; /* where the task runs: 0 */
    uint64_t asid;            /* its address space identifier */
    uint64_t page_table_root; /* physical address of its level-0 table */
    uint64_t free_frames;     /* free physical frames in the whole system */
    uint64_t thread_count;    /* live threads in the whole system */
    char name[32];
    uint64_t preemptions; /* times the calling thread was switched out without asking */
};

/* SYS_KERNEL_COUNTS: every kind of object the kernel holds, so that tests
 * can prove nothing leaks: after an attack, all but syscalls must be back
 * where they were. */
struct kernel_counts {
    uint64_t free_frames;       /* free physical frames */
    uint64_t tasks;             /* task slots in use: live tasks, and ended ones still referenced */
    uint64_t threads;           /* threads, the kernel's own included */
    uint64_t kernel_stacks;     /* guard-paged kernel stacks */
    uint64_t endpoints;         /* endpoints in use */
    uint64_t notifications;     /* notifications in use */
    uint64_t handles;           /* live handles in all tasks' tables */
    uint64_t queued_handles;    /* handles held by messages waiting in mailboxes */
    uint64_t regions;           /* memory regions of all live tasks */
    uint64_t irq_bindings;      /* interrupt lines bound to user notifications */
    uint64_t syscalls;          /* system calls since boot (not an object: it only grows) */
    uint64_t injected_failures; /* allocations fault injection made fail, since boot */
    uint64_t ipc_fastpath;      /* IPC calls the fast path completed, since boot */
    uint64_t asid_bits;         /* the width of the ASIDs address spaces get */
    uint64_t asid_rollovers;    /* ASID generations ended for want of one, since boot */
};

#endif
