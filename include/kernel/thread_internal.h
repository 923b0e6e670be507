/* Between thread.c (slots and stacks) and sched.c (switching); not for other users. */
#ifndef KERNEL_THREAD_INTERNAL_H
#define KERNEL_THREAD_INTERNAL_H

#include "kernel/thread.h"

/* Claims a slot and stack and prepares the context to run entry(arg); does
 * not make it ready. Returns NULL when no slot is free. */
struct thread *thread_alloc(const char *name, unsigned priority, void (*entry)(void *), void *arg);

/* Records the code running now (on the boot stack) as a thread. */
struct thread *thread_adopt_boot(const char *name, unsigned priority);

/* Runs on the new thread's stack after every switch: frees a dead thread's slot. */
void thread_after_switch(void);

/* Panics if a thread's stack canary was overwritten (its stack overflowed). */
void thread_check_stack(const struct thread *t);

void sched_make_ready(struct thread *t);
/* Takes t, which is not running, out of the run queue or the sleep queue. */
void sched_remove(struct thread *t);
void sched_yield_current(void);
void sched_sleep_current(uint64_t ns);
__attribute__((noreturn)) void sched_exit_current(void);

#endif
