/*
 * Tracing: a picture of the kernel running. With CONFIG_TRACE=1 (make
 * trace builds such a kernel) the kernel writes one small record for each
 * event below into a ring buffer per CPU, stamped with the generic timer's
 * counter: switches, IPC, interrupts, system calls and user faults. At the
 * end of the demo it prints the buffer to the console between
 * "trace: begin" and "trace: end", and scripts/trace.py draws it as a
 * Chrome trace (for Perfetto) and an SVG timeline (docs/part3-interrupts.md).
 *
 * Each hook is an inline function whose body is "if (CONFIG_TRACE)": in the
 * default build (CONFIG_TRACE=0) it compiles to nothing at all, not even
 * the loads of its arguments, so the hot paths are exactly what they are
 * without it (make bench shows the same figures). Both branches still
 * compile in every build, and kernel/trace.c is always linked.
 *
 * Every hook expects interrupts masked (the kernel lock held): a record is
 * written by one CPU with nothing to interrupt it halfway.
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#ifndef CONFIG_TRACE
#define CONFIG_TRACE 0
#endif

/* Records kept per CPU; older ones are overwritten (a power of two). */
#define TRACE_RING_EVENTS 8192
/* CPUs with a ring of their own. One runs the kernel today (the others are
 * parked at boot), so its ring is ring 0. */
#define TRACE_CPUS        1

struct endpoint;
struct thread;

/* What each record's a, b and c hold, by type. Threads are their ids. */
enum trace_type {
    TRACE_SWITCH = 1,    /* a: the thread leaving, b: the thread coming in; kind: how */
    TRACE_IPC_SEND,      /* a: sender, b: receiver (0: not known yet), c: endpoint; kind */
    TRACE_IPC_RECV,      /* a: sender (0: out of a mailbox slot), b: receiver, c: endpoint */
    TRACE_IRQ,           /* a: the interrupt's number */
    TRACE_SYSCALL_ENTER, /* a: the system call's number */
    TRACE_SYSCALL_EXIT,  /* a: number, b: result (a call that parks has no exit record) */
    TRACE_USER_FAULT,    /* a: FAULT_READ, ... (uapi/syscall.h), b: the address's low half */
    TRACE_TYPES,
};

/* How a switch happened: through the scheduler, or the IPC fast path's
 * direct hand-off (include/kernel/sched_handoff.h). */
enum trace_switch_how {
    TRACE_SWITCH_SCHED = 0,
    TRACE_SWITCH_HANDOFF = 1,
};

/* What a message is: a plain send, a call's request, or its reply. */
enum trace_ipc_kind {
    TRACE_IPC_SEND_MSG = 0,
    TRACE_IPC_CALL = 1,
    TRACE_IPC_REPLY = 2,
};

/* One record: 32 bytes. Thread ids are thread->id; endpoints are their
 * slot number plus one (0: none, as for a reply). */
struct trace_event {
    uint64_t time;   /* hal_timer_counter() ticks */
    uint16_t type;   /* enum trace_type */
    uint16_t kind;   /* trace_switch_how or trace_ipc_kind */
    uint32_t thread; /* the thread running when it happened */
    uint32_t a, b, c;
    uint32_t unused;
};

/*
 * The ring: storage for size records (a power of two), and the number ever
 * written, from which where the next one goes and how many were
 * overwritten follow. Plain functions of the ring alone, so the tests
 * check them on their own storage.
 */
struct trace_ring {
    struct trace_event *events;
    uint32_t size;
    uint64_t written;
};

void trace_ring_init(struct trace_ring *r, struct trace_event *storage, uint32_t size);
/* The slot for the next record: the oldest one's, once the ring is full. */
struct trace_event *trace_ring_next(struct trace_ring *r);
/* How many records the ring holds (at most size), and how many it lost. */
uint32_t trace_ring_count(const struct trace_ring *r);
uint64_t trace_ring_dropped(const struct trace_ring *r);
/* The i-th oldest record kept, i < trace_ring_count(r). */
const struct trace_event *trace_ring_at(const struct trace_ring *r, uint32_t i);

/* The recorders behind the hooks (kernel/trace.c); call the hooks instead. */
void trace_log(unsigned type, unsigned kind, uint32_t a, uint32_t b, uint32_t c);
void trace_log_switch(const struct thread *prev, const struct thread *next, unsigned how);
void trace_log_ipc(unsigned type, unsigned kind, const struct thread *from, const struct thread *to,
                   const struct endpoint *ep);
void trace_log_thread_name(const struct thread *t);

/* Prints every CPU's ring and the thread-name table to the console, and
 * stops recording. Called at the end of the demo in a traced kernel. */
void trace_dump(void);

/* ---- the hooks: one per event ---- */

/* The CPU leaves prev for next (a switch or a fast-path hand-off). */
static inline __attribute__((always_inline)) void
trace_switch(const struct thread *prev, const struct thread *next, unsigned how)
{
    if (CONFIG_TRACE) {
        trace_log_switch(prev, next, how);
    }
}

/* A message leaves from (kind: send, call or reply) for to on ep; either
 * of the last two may be NULL (a receiver not known yet, a reply). */
static inline __attribute__((always_inline)) void trace_ipc_send(unsigned kind,
                                                                 const struct thread *from,
                                                                 const struct thread *to,
                                                                 const struct endpoint *ep)
{
    if (CONFIG_TRACE) {
        trace_log_ipc(TRACE_IPC_SEND, kind, from, to, ep);
    }
}

/* A message arrives at to, from from (NULL: out of a mailbox slot). */
static inline __attribute__((always_inline)) void trace_ipc_recv(unsigned kind,
                                                                 const struct thread *from,
                                                                 const struct thread *to,
                                                                 const struct endpoint *ep)
{
    if (CONFIG_TRACE) {
        trace_log_ipc(TRACE_IPC_RECV, kind, from, to, ep);
    }
}

/* Interrupt irq was taken. */
static inline __attribute__((always_inline)) void trace_irq(uint32_t irq)
{
    if (CONFIG_TRACE) {
        trace_log(TRACE_IRQ, 0, irq, 0, 0);
    }
}

/* The running thread enters system call number, and leaves it with result. */
static inline __attribute__((always_inline)) void trace_syscall_enter(uint64_t number)
{
    if (CONFIG_TRACE) {
        trace_log(TRACE_SYSCALL_ENTER, 0, (uint32_t)number, 0, 0);
    }
}

static inline __attribute__((always_inline)) void trace_syscall_exit(uint64_t number, long result)
{
    if (CONFIG_TRACE) {
        trace_log(TRACE_SYSCALL_EXIT, 0, (uint32_t)number, (uint32_t)result, 0);
    }
}

/* The running thread faulted in user mode (kind: FAULT_READ, ...). */
static inline __attribute__((always_inline)) void trace_user_fault(unsigned kind, uint64_t address)
{
    if (CONFIG_TRACE) {
        trace_log(TRACE_USER_FAULT, 0, kind, (uint32_t)address, 0);
    }
}

/* Thread t has its id and name: the timeline's lane labels. */
static inline __attribute__((always_inline)) void trace_thread_named(const struct thread *t)
{
    if (CONFIG_TRACE) {
        trace_log_thread_name(t);
    }
}

#endif
