/*
 * The scheduler's direct hand-off, for the IPC fast path
 * (kernel/ipc_fastpath.c): the running user thread parks, and a parked user
 * thread runs at once, on the same time slice, straight back to user mode.
 *
 * It is inline because it is most of what the fast path does after its
 * point of no return, and every call through it costs. It skips what a
 * full switch (sched_switch_to, kernel/sched.c) does and a hand-off does
 * not need:
 *   - no run queue: next was in no queue (it was blocked), and the caller
 *     goes into none (it blocks);
 *   - no slice accounting and no timer: the slice goes on in next, so the
 *     pair of threads gets no more CPU than the caller alone would have;
 *   - no stack check and no kernel_after_switch: the caller leaves nothing
 *     on its kernel stack, and no dead thread awaits release (the switch to
 *     the caller released it).
 * Each hand-off is counted once, in sched_handoffs: it is one system call
 * and one switch (sched_switch_count and the accounting add it in).
 */
#ifndef KERNEL_SCHED_HANDOFF_H
#define KERNEL_SCHED_HANDOFF_H

#include "hal/fpsimd.h"
#include "hal/user.h"
#include "kernel/task.h"
#include "kernel/thread_internal.h"
#include "kernel/trace.h"

extern uint64_t sched_handoffs;

/* The end of every hand-off, once next's address space is installed: its
 * thread registers and FP setting, and back to user mode in next. */
__attribute__((noreturn, always_inline)) static inline void
sched_handoff_finish(struct thread *self, struct thread *next)
{
    hal_user_set_thread_pointer(next->ipc_buffer_va);
    hal_user_switch_tls(&self->user_tls, next->user_tls);
    hal_fpsimd_switch_to(&next->fp);
    hal_user_resume(next->user_frame);
}

/* The same, for a next whose address space must take a new ASID first (a
 * rollover took its old one back, kernel/vspace_asid.c). Out of line and
 * never returning, so that the fast path keeps nothing for it. */
__attribute__((noreturn)) void sched_handoff_finish_new_asid(struct thread *self,
                                                             struct thread *next);

/* self (the running thread) parks in state; next, a parked user thread out
 * of every queue, runs. Kernel lock held. Never returns. */
__attribute__((noreturn, always_inline)) static inline void
sched_handoff_parked(struct thread *self, enum thread_state state, struct thread *next)
{
    sched_handoffs++;
    trace_switch(self, next, TRACE_SWITCH_HANDOFF);
    self->state = state;
    hal_context_park(&self->context, self->user_frame);
    next->slice.end_ns = self->slice.end_ns;
    next->state = THREAD_RUNNING;
    sched_current = next;
    if (__builtin_expect(!task_try_activate(next->task), 0)) {
        sched_handoff_finish_new_asid(self, next);
    }
    sched_handoff_finish(self, next);
}

#endif
