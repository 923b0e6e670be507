/*
 * Kernel threads: the unit the scheduler runs. A thread is a saved CPU
 * context (struct hal_context), a kernel stack from a fixed pool, a state,
 * a priority, and the IPC state of the message it is sending or waiting for.
 *
 * Life of a thread:
 *
 *   thread_create -> READY <-> RUNNING -> (thread_exit) DEAD -> slot reused
 *                    ^  preempted |
 *                    |            | send/recv/call/join/sleep/wait
 *                    +--------- BLOCKED_* or SLEEPING
 *                       woken: a peer delivers or replies, the endpoint
 *                       dies, the sleep ends
 *
 * A thread created for a new task starts SUSPENDED instead of READY, until
 * thread_start: the task is built before any of its threads runs.
 *
 * Scheduling is preemptive (kernel/sched.c): a thread runs until it yields,
 * blocks, sleeps or exits, or until a more important thread becomes ready
 * or its time slice ends. The public functions here take the kernel lock
 * (include/kernel/klock.h) themselves unless they say otherwise; the
 * sched_* ones below them expect the caller to hold it.
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "hal/context.h"
#include "hal/fpsimd.h"
#include "kernel/kstack.h"
#include "kernel/runqueue.h"
#include "kernel/sched_policy.h"
#include "kernel/sleepq.h"
#include "lib/list.h"
#include "uapi/ipc.h"

struct endpoint;
struct notification;
struct task;
struct trap_frame;

enum thread_state {
    THREAD_UNUSED = 0,     /* a free slot */
    THREAD_READY,          /* in the run queue */
    THREAD_RUNNING,        /* on the CPU */
    THREAD_BLOCKED_SEND,   /* waiting for a receiver or for room in a mailbox */
    THREAD_BLOCKED_RECV,   /* waiting for a message */
    THREAD_BLOCKED_REPLY,  /* sent a call, waiting for the reply */
    THREAD_BLOCKED_JOIN,   /* waiting for another thread to exit */
    THREAD_SLEEPING,       /* in the sleep queue until its deadline */
    THREAD_BLOCKED_NOTIFY, /* waiting for a notification's bits */
    THREAD_SUSPENDED,      /* created, not started yet (thread_start) */
    THREAD_DEAD,           /* exited; its slot is freed once it is off the CPU */
};

struct thread {
    struct hal_context context; /* saved registers while not running */
    uint64_t user_tls;          /* ... and its user TLS register (TPIDR_EL0) */
    struct rq_node rq;          /* its link in the run queue or one wait queue */
    enum thread_state state;
    uint32_t id;    /* unique for the kernel's lifetime: 0 is never used */
    uint64_t badge; /* stamped on its messages: its id, or its task's id */
    char name[16];
    void (*entry)(void *);
    void *arg;
    uint8_t *stack;       /* the lowest address of its kernel stack (NULL: boot stack) */
    struct kstack kstack; /* that stack's slot and frames (kernel/kstack.c) */

    /* IPC: what the thread is doing with an endpoint while it is blocked.
     * A kernel thread's messages are in struct ipc_msg buffers on its stack;
     * a user thread's are in its saved registers and its IPC buffer (both
     * pointers NULL): it is parked while it waits (include/hal/user.h).
     * The one exception is a user thread's fault message (kernel/
     * user_fault.c), which the kernel sends and receives for it in structs,
     * waiting in the kernel like a kernel thread. */
    struct endpoint *blocked_on; /* the endpoint whose queue holds it */
    struct ipc_msg *send_msg;    /* BLOCKED_SEND: the message to deliver */
    struct ipc_msg *recv_buf;    /* BLOCKED_RECV / BLOCKED_REPLY: where the message goes */
    bool calling;                /* BLOCKED_SEND as the first half of a call */
    int ipc_result;              /* what the blocked operation returns when woken */
    struct thread *reply_to;     /* the caller this thread owes a reply (one-shot right) */
    struct thread *reply_from;   /* BLOCKED_REPLY: the thread that owes us the reply */

    struct list_node joiners; /* threads in thread_join on this one */
    struct sleep_node sleep;  /* its place in the sleep queue while SLEEPING */
    uint64_t notify_bits;     /* the bits a notify_wait returns */
    struct slice slice;       /* its time slice (kernel/sched_policy.h) */
    uint64_t preemptions;     /* times it was switched out without asking */

    /* User threads only (task == NULL for kernel threads). */
    struct task *task;             /* the task it belongs to */
    uint64_t *ipc_buffer;          /* its IPC buffer page, where the kernel reaches it
                                      (the linear map), */
    uint64_t ipc_buffer_va;        /* ... and where its task sees it (TPIDRRO_EL0) */
    unsigned ipc_slot;             /* which page of the task's IPC buffer area */
    uint64_t user_entry;           /* where it starts in user mode, */
    uint64_t user_sp;              /* on this stack, */
    uint64_t user_arg[2];          /* with these in x0 and x1 */
    struct hal_fpsimd_state fp;    /* its FP/SIMD registers while another thread has them */
    long task_status;              /* what task_wait returns when it wakes */
    struct trap_frame *user_frame; /* where its user registers are saved: its kernel stack's top */
};

/* Whether t is a user thread: one whose registers are saved in a trap frame
 * on entry, where its messages live too. */
static inline bool thread_is_user(const struct thread *t)
{
    return t->user_frame != NULL;
}

/* The scheduler's state the hot paths read inline (kernel/sched.c owns it;
 * the kernel lock protects it). */
extern struct thread *sched_current;
extern struct runqueue sched_run_queue;

/* The thread running now. */
static inline struct thread *thread_current(void)
{
    return sched_current;
}

/* Whether target may be run right now ahead of the run queue: nothing
 * ready is more important. */
static inline bool sched_can_hand_off_to(const struct thread *target)
{
    return !runqueue_has_above(&sched_run_queue, target->rq.priority);
}

/* Turns the code running now into the thread "main" and creates the idle
 * thread. Called once, before any other function here. */
void sched_init(void);

/* Starts time slices of slice_ns (0: the default, 10 ms) and sleeping: the
 * timer interrupt drives the scheduler from now on. */
void sched_start_preemption(uint64_t slice_ns);
uint64_t sched_slice_ns(void);
/* How many times the CPU switched threads since boot. */
uint64_t sched_switch_count(void);

/*
 * Creates a READY thread that will run entry(arg) at priority (0 lowest,
 * CONFIG_PRIORITIES - 1 highest). Returns NULL when every slot is taken.
 * When entry returns, the thread exits.
 */
struct thread *thread_create(const char *name, unsigned priority, void (*entry)(void *), void *arg);

/* Like thread_create, but the thread waits until thread_start: the caller
 * can finish setting it up first. Both need the kernel lock; thread_start
 * does not switch: a more important thread runs from the caller's next
 * preemption point on. */
struct thread *thread_create_suspended(const char *name, unsigned priority, void (*entry)(void *),
                                       void *arg);
void thread_start(struct thread *t);

/* Kills every thread of task except keep (the dying task's running one).
 * Kernel lock held; never switches. */
void thread_kill_task_others(struct task *task, struct thread *keep);

/* Lets every other ready thread of the same or higher priority run first. */
void thread_yield(void);

/* Sleeps for at least ns nanoseconds. Needs the timer (sched_start_preemption). */
void thread_sleep(uint64_t ns);

/* Ends the calling thread. Threads in thread_join on it wake up. */
__attribute__((noreturn)) void thread_exit(void);

/* Waits until the thread with this id has exited (at once if it already has). */
void thread_join(uint32_t id);

/* The state's name, e.g. "BLOCKED_RECV", for reports and tests. */
const char *thread_state_name(enum thread_state state);

/* How many thread slots are in use (tests use it to prove nothing leaks). */
unsigned thread_count(void);

/* The top of t's kernel stack (it grows down from there). */
void *thread_kstack_top(const struct thread *t);

/* Ends t, which is not running (another thread of a dying task): takes it
 * off every queue, wakes its joiners, frees its slot. Kernel lock held;
 * never switches. */
void thread_kill_other(struct thread *t);

/* --- for the IPC code: blocking and waking (kernel/sched.c) --- */

/* Switches threads if a wake-up or the timer asked for it (need_resched) and
 * the policy agrees. A no-op inside an interrupt handler: kernel_irq calls
 * it again after the end of interrupt. Inline, because every system call
 * ends with one and almost never needs more than the flag test. */
extern bool sched_need_resched;
void sched_reschedule(void);
static inline void sched_preempt_point(void)
{
    if (sched_need_resched) {
        sched_reschedule();
    }
}

/* Puts the calling thread to sleep in state, runs the next ready thread, and
 * returns current->ipc_result once someone wakes it with sched_wake. */
int sched_block(enum thread_state state);

/*
 * The same for a user thread in a system call that parks (include/hal/user.h):
 * nothing of it stays on its kernel stack but its trap frame. Never returns:
 * when woken, it goes straight back to user mode, with the result sched_wake
 * wrote into its x0 and whatever message its waker wrote into x1-x6.
 */
__attribute__((noreturn)) void sched_park(enum thread_state state);

/* A user thread's yield, as a parked system call: returns only if nothing
 * else is ready to run. */
void sched_yield_parked(void);

/* Makes a blocked thread READY, with result as its blocked call's return value. */
void sched_wake(struct thread *t, int result);

/*
 * Blocks the caller in state and switches straight to target, which must be
 * blocked and is woken with result: a hand-off that skips the run queue,
 * used when a call finds its receiver waiting. If a thread more important
 * than target is ready, target is simply made ready instead. A user thread
 * whose reply comes in its registers (no recv_buf) parks, and does not
 * return; one that takes it in a struct (a fault message) returns.
 */
int sched_block_and_switch_to(enum thread_state state, struct thread *target, int result);

#endif
