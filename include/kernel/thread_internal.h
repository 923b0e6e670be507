/* Between thread.c (slots and stacks) and sched.c (switching); not for other users. */
#ifndef KERNEL_THREAD_INTERNAL_H
#define KERNEL_THREAD_INTERNAL_H

#include "kernel/thread.h"

/* Claims a slot and stack and prepares the context to run entry(arg); does
 * not make it ready. Returns NULL when no slot is free. */
struct thread *thread_alloc(const char *name, unsigned priority, void (*entry)(void *), void *arg);

/* Records the code running now (on the boot stack) as a thread. */
struct thread *thread_adopt_boot(const char *name, unsigned priority);

/* (kernel_after_switch, include/hal/context.h, runs on the new thread's
 * stack after every switch: it frees a dead thread's slot.) */

/* The word at the bottom of every kernel stack (but the boot stack's). */
#define STACK_CANARY 0x57ac4ca9a2157ac4ULL

__attribute__((noreturn)) void thread_stack_overflowed(const struct thread *t);

/* Panics if a thread's stack canary was overwritten (its stack overflowed):
 * on every switch away from it, so inline. */
static inline void thread_check_stack(const struct thread *t)
{
    if (t->stack && *(const uint64_t *)t->stack != STACK_CANARY) {
        thread_stack_overflowed(t);
    }
}

void sched_make_ready(struct thread *t);
/* Takes t, which is not running, out of the run queue or the sleep queue. */
void sched_remove(struct thread *t);
void sched_yield_current(void);
void sched_sleep_current(uint64_t ns);
__attribute__((noreturn)) void sched_exit_current(void);

#endif
