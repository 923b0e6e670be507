/*
 * Kernel threads: the unit the scheduler runs. A thread is a saved CPU
 * context (struct hal_context), a kernel stack from a fixed pool, a state,
 * a priority, and the IPC state of the message it is sending or waiting for.
 *
 * Life of a thread:
 *
 *   thread_create -> READY <-> RUNNING -> (thread_exit) DEAD -> slot reused
 *                              |    ^
 *                  send/recv/  v    | a peer delivers, replies,
 *                  call/join  BLOCKED_* | or the endpoint dies
 *
 * Scheduling is cooperative for now: a thread runs until it yields, blocks
 * or exits. Every function here must be called with interrupts masked.
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "hal/context.h"
#include "kernel/runqueue.h"
#include "lib/list.h"
#include "uapi/ipc.h"

struct endpoint;

enum thread_state {
    THREAD_UNUSED = 0,   /* a free slot */
    THREAD_READY,        /* in the run queue */
    THREAD_RUNNING,      /* on the CPU */
    THREAD_BLOCKED_SEND, /* waiting for a receiver or for room in a mailbox */
    THREAD_BLOCKED_RECV, /* waiting for a message */
    THREAD_BLOCKED_REPLY,/* sent a call, waiting for the reply */
    THREAD_BLOCKED_JOIN, /* waiting for another thread to exit */
    THREAD_DEAD,         /* exited; its slot is freed once it is off the CPU */
};

struct thread {
    struct hal_context context; /* saved registers while not running */
    struct rq_node rq;          /* its link in the run queue or one wait queue */
    enum thread_state state;
    uint32_t id;                /* unique for the kernel's lifetime: 0 is never used */
    char name[16];
    void (*entry)(void *);
    void *arg;
    uint8_t *stack;             /* the lowest address of its kernel stack */

    /* IPC: what the thread is doing with an endpoint while it is blocked. */
    struct endpoint *blocked_on;   /* the endpoint whose queue holds it */
    const struct ipc_msg *send_msg;/* BLOCKED_SEND: the message to deliver */
    struct ipc_msg *recv_buf;      /* BLOCKED_RECV / BLOCKED_REPLY: where the message goes */
    bool calling;                  /* BLOCKED_SEND as the first half of a call */
    int ipc_result;                /* what the blocked operation returns when woken */
    struct thread *reply_to;       /* the caller this thread owes a reply (one-shot right) */
    struct thread *reply_from;     /* BLOCKED_REPLY: the thread that owes us the reply */

    struct list_node joiners;      /* threads in thread_join on this one */
};

/* Turns the code running now into the thread "main" and creates the idle
 * thread. Called once, before any other function here. */
void sched_init(void);

/*
 * Creates a READY thread that will run entry(arg) at priority (0 lowest,
 * CONFIG_PRIORITIES - 1 highest). Returns NULL when every slot is taken.
 * When entry returns, the thread exits.
 */
struct thread *thread_create(const char *name, unsigned priority, void (*entry)(void *),
                             void *arg);

/* The thread running now. */
struct thread *thread_current(void);

/* Lets every other ready thread of the same or higher priority run first. */
void thread_yield(void);

/* Ends the calling thread. Threads in thread_join on it wake up. */
__attribute__((noreturn)) void thread_exit(void);

/* Waits until the thread with this id has exited (at once if it already has). */
void thread_join(uint32_t id);

/* The state's name, e.g. "BLOCKED_RECV", for reports and tests. */
const char *thread_state_name(enum thread_state state);

/* How many thread slots are in use (tests use it to prove nothing leaks). */
unsigned thread_count(void);

/* --- for the IPC code: blocking and waking (kernel/sched.c) --- */

/* Puts the calling thread to sleep in state, runs the next ready thread, and
 * returns current->ipc_result once someone wakes it with sched_wake. */
int sched_block(enum thread_state state);

/* Makes a blocked thread READY, with result as its blocked call's return value. */
void sched_wake(struct thread *t, int result);

/*
 * Blocks the caller in state and switches straight to target, which must be
 * blocked and is woken with result: a hand-off that skips the run queue,
 * used when a call finds its receiver waiting.
 */
int sched_block_and_switch_to(enum thread_state state, struct thread *target, int result);

#endif
