/*
 * The kernel lock: the one protection of all shared kernel state.
 *
 * The run queue and sleep queue, the thread, task, endpoint and notification
 * tables, every handle table, the frame allocator, every page table, a
 * task's region table, the kernel stack slots and the interrupt bindings
 * are shared by all threads. Each function that reads or changes them
 * requires the kernel lock and says so by KLOCK_ASSERT_HELD() at its entry.
 *
 * On one CPU, holding the lock means interrupts are masked on this CPU:
 * no interrupt handler and no other thread can run until the holder lets
 * go. Entering the kernel from user mode takes it (the exception masks
 * interrupts), so a system call runs from its first instruction to its
 * return without another thread seeing its half-done work. Kernel threads
 * take it with klock_acquire() around each call into shared state.
 *
 * A thread that blocks (IPC, sleep, wait) holds the lock across the switch,
 * and the thread switched to carries on holding it: the lock belongs to
 * the CPU, not to a thread. Besides blocking, a holder gives the CPU away
 * only at these points:
 *   - klock_preemption_point() inside a long operation (mapping or freeing
 *     many pages), where everything done so far is recorded, so that a
 *     task killed while switched out there loses nothing;
 *   - sched_preempt_point() at the end of an operation (a system call's
 *     return, a kernel thread's IPC call), when the operation is complete.
 *
 * docs/part3-interrupts.md ("The concurrency model") explains the choice
 * against seL4's and Linux's; with more CPUs this becomes a big kernel
 * lock, taken at kernel entry, around the same code.
 */
#ifndef KERNEL_KLOCK_H
#define KERNEL_KLOCK_H

#include <stdbool.h>

#include "hal/irq.h"
#include "kernel/panic.h"

/* Debug builds check every protection at run time (on by default). */
#ifndef CONFIG_KLOCK_DEBUG
#define CONFIG_KLOCK_DEBUG 1
#endif

/* Takes the lock; returns what klock_release needs to put things back (it
 * may already have been held: the calls nest). */
static inline unsigned long klock_acquire(void)
{
    return hal_irq_save();
}

static inline void klock_release(unsigned long state)
{
    hal_irq_restore(state);
}

/* Whether this CPU holds the lock. */
static inline bool klock_held(void)
{
    return !hal_irq_local_enabled();
}

/* At the entry of every function that touches shared kernel state. */
#define KLOCK_ASSERT_HELD()                                                                        \
    do {                                                                                           \
        if (CONFIG_KLOCK_DEBUG && !klock_held()) {                                                 \
            panic("%s: called without the kernel lock", __func__);                                 \
        }                                                                                          \
    } while (0)

/*
 * A preemption point inside a long operation: the lock is let go for an
 * instant, so a pending interrupt is taken here and, if it ends the time
 * slice or wakes a more important thread, the caller is switched out until
 * its turn comes again. The caller must have recorded everything it did so
 * far (other threads may run, and its task may be killed: then this call
 * never returns), and must not be inside an interrupt handler.
 */
void klock_preemption_point(void);

#endif
