/*
 * The scheduler: which thread runs next, when, and the switch to it.
 *
 * Ready threads wait in the run queue (kernel/runqueue.c): a FIFO per
 * priority and a bitmap of the non-empty ones. The idle thread is never in
 * it; it runs only when nothing else is ready.
 *
 * A thread stops running when it yields, blocks, sleeps or exits, or when
 * it is preempted (kernel/sched_policy.c decides): by a more important
 * thread that became ready, or by the end of its time slice. Preemption
 * happens only at preemption points: at the end of an interrupt (after its
 * EOI), at the end of the kernel operations that may wake threads, and at
 * klock_preemption_point() inside the long ones (between the pages of a
 * map). So a wake-up never switches threads in the middle of an operation.
 *
 * The timer is armed only for the next event (the end of the running
 * thread's slice or the earliest sleeper), and stopped when there is none.
 *
 * Every function here expects the kernel lock (include/kernel/klock.h).
 */
#include "hal/context.h"
#include "hal/cpu.h"
#include "hal/irq.h"
#include "hal/timer.h"
#include "hal/user.h"
#include "kernel/irq.h"
#include "kernel/klock.h"
#include "kernel/panic.h"
#include "kernel/sched_policy.h"
#include "kernel/sleepq.h"
#include "kernel/task.h"
#include "kernel/thread.h"
#include "kernel/thread_internal.h"
#include "kernel/trace.h"

#define DEFAULT_SLICE_NS 10000000ULL /* 10 ms */

struct runqueue sched_run_queue; /* ready threads: a FIFO per priority */
static struct sleepq sleepers;
struct thread *sched_current; /* the thread running now (thread_current) */
static struct thread *idle;
bool sched_need_resched; /* a wake-up or the timer asks for a switch */
static bool timer_running;
static uint64_t timer_armed_ns = SCHED_NO_EVENT; /* what the timer is set to, if anything */
static uint64_t slice_ns = DEFAULT_SLICE_NS;
static uint64_t switch_count;
uint64_t sched_handoffs; /* fast-path hand-offs (kernel/sched_handoff.h) */

static struct thread *thread_of(struct rq_node *node)
{
    return LIST_ENTRY(node, struct thread, rq);
}

static int current_priority(void)
{
    return sched_current == idle ? -1 : (int)sched_current->rq.priority;
}

static uint64_t sched_now(void)
{
    return timer_running ? hal_timer_now_ns() : 0;
}

/* The next event the timer must wake us for (SCHED_NO_EVENT: none). */
static inline __attribute__((always_inline)) uint64_t sched_next_event(void)
{
    return sched_policy_next_event(sched_current == idle, sched_current->slice.end_ns,
                                   sleepq_next_deadline(&sleepers));
}

static void sched_program_timer(uint64_t deadline)
{
    if (deadline == SCHED_NO_EVENT) {
        hal_timer_stop();
    } else {
        hal_timer_set_deadline(deadline);
    }
    timer_armed_ns = deadline;
}

/*
 * Programs the timer for the next event, lazily: if the timer is already
 * set to fire no later, it stays as it is. It may then fire before
 * anything is due; sched_timer_irq finds nothing to do but program the
 * real next event. Most switches start a slice that ends later than the
 * one before, so most switches write no timer register, for at most one
 * spare interrupt per slice. (The idle thread programs it exactly before
 * it waits: one interrupt per sleep, not one per slice the wait spans.)
 */
static inline __attribute__((always_inline)) void sched_arm_timer(void)
{
    if (!timer_running) {
        return;
    }
    uint64_t next = sched_next_event();
    if (next < timer_armed_ns) {
        sched_program_timer(next);
    }
}

/* Inline in sched_wake, through which every wake-up goes but the direct
 * hand-offs (sched_hand_off, sched_handoff_parked), which run the woken
 * thread at once. */
static inline __attribute__((always_inline)) void sched_ready(struct thread *t)
{
    t->state = THREAD_READY;
    runqueue_push_back(&sched_run_queue, &t->rq);
    if ((int)t->rq.priority > current_priority()) {
        sched_need_resched = true;
    }
}

void sched_make_ready(struct thread *t)
{
    KLOCK_ASSERT_HELD();
    sched_ready(t);
}

void sched_remove(struct thread *t)
{
    KLOCK_ASSERT_HELD();
    if (t->state == THREAD_READY && t != idle) {
        runqueue_remove(&sched_run_queue, &t->rq);
    }
    sleepq_cancel(&t->sleep);
}

/* The next thread to run: the first of the highest ready priority, else idle. */
static inline __attribute__((always_inline)) struct thread *sched_pick_next(void)
{
    struct rq_node *node = runqueue_pop(&sched_run_queue);

    return node ? thread_of(node) : idle;
}

/* Makes next the thread user mode sees: its address space and IPC buffer
 * pointer if it is a user thread, its TLS register, and its FP/SIMD trap
 * setting. The TLS register goes with every thread, a kernel thread's
 * included: swapped always, it needs no test, and whatever a kernel thread
 * holds there is nobody's secret. */
static inline __attribute__((always_inline)) void sched_install(struct thread *prev,
                                                                struct thread *next)
{
    switch_count++;
    trace_switch(prev, next, TRACE_SWITCH_SCHED);
    hal_user_switch_tls(&prev->user_tls, next->user_tls);
    if (next->task) {
        task_activate(next->task); /* nothing to do within one task */
        hal_user_set_thread_pointer(next->ipc_buffer_va);
    }
    hal_fpsimd_switch_to(&next->fp);
}

/*
 * The machine half of a switch, shared by sched_switch_to and
 * sched_hand_off. Without park, prev's registers are saved and this returns
 * when some thread switches back to prev. With park, prev is a user thread
 * parked in a system call: nothing of it is saved but its trap frame, which
 * its resumption returns to user mode from; this never returns.
 */
static void sched_context_switch(struct thread *prev, struct thread *next, bool park)
{
    sched_install(prev, next);
    if (park) {
        hal_context_park(&prev->context, prev->user_frame);
        if (hal_context_is_parked(&next->context)) {
            /* Parked as well: nothing to unwind on either side, and no
             * dead thread to release (prev was running). */
            hal_user_resume(next->user_frame);
        }
        hal_context_load(&next->context);
    }
    hal_context_switch(&prev->context, &next->context);
    /* Back on prev's stack: some thread switched to us again. */
    kernel_after_switch();
}

/*
 * The switch of a thread that parks (include/hal/user.h): prev, a user
 * thread in a system call, gives up its kernel stack and everything on it,
 * so this never returns, and next goes straight back to user mode if it is
 * parked too. The rest is sched_switch_to's work: prev's slice ends (a
 * thread parks only to block or yield, so it keeps no rest), next's starts.
 */
static inline __attribute__((noreturn, always_inline)) void sched_switch_parked(struct thread *next)
{
    struct thread *prev = sched_current;
    uint64_t now = sched_now();

    /* No stack check: what prev leaves on its stack is given up, and an
     * overflow on the way here faulted on the stack's guard page. */
    KLOCK_ASSERT_HELD();
    slice_stop(&prev->slice, now, false, slice_ns);
    hal_context_park(&prev->context, prev->user_frame);
    sched_current = next;
    next->state = THREAD_RUNNING;
    slice_start(&next->slice, now);
    sched_arm_timer();
    if (next != prev) {
        sched_install(prev, next);
        if (!hal_context_is_parked(&next->context)) {
            hal_context_load(&next->context); /* a kernel thread, or one preempted */
        }
    }
    hal_user_resume(next->user_frame);
}

/*
 * Switches from the current thread to next. The current thread's state must
 * already say where it goes (READY and queued, BLOCKED_*, SLEEPING or DEAD);
 * keep_rest says whether it keeps the unused part of its slice. Returns
 * when some thread switches back to it.
 */
static void sched_switch_to(struct thread *next, bool keep_rest)
{
    struct thread *prev = sched_current;
    uint64_t now = sched_now();

    KLOCK_ASSERT_HELD();
    thread_check_stack(prev);
    slice_stop(&prev->slice, now, keep_rest, slice_ns);
    sched_current = next;
    next->state = THREAD_RUNNING;
    slice_start(&next->slice, now);
    sched_arm_timer();
    if (next != prev) {
        sched_context_switch(prev, next, false);
    }
}

/*
 * A hand-off: the caller blocks and target runs on the caller's time slice,
 * as if the call were a function call into another address space. Nothing
 * about the timer changes (its deadline is the same slice end, or an
 * earlier sleeper), so the clock is neither read nor re-armed: on the IPC
 * path that saves about a hundred instructions per switch.
 */
static void sched_hand_off(struct thread *next, bool park)
{
    struct thread *prev = sched_current;

    KLOCK_ASSERT_HELD();
    thread_check_stack(prev);
    next->slice.end_ns = prev->slice.end_ns;
    sched_current = next;
    next->state = THREAD_RUNNING;
    sched_context_switch(prev, next, park);
}

void sched_yield_current(void)
{
    if (runqueue_top_priority(&sched_run_queue) < current_priority()) {
        return; /* nobody as important is waiting: a yield that changes nothing */
    }
    if (sched_current != idle) {
        sched_current->state = THREAD_READY;
        runqueue_push_back(&sched_run_queue, &sched_current->rq);
    }
    sched_switch_to(sched_pick_next(), false);
}

void sched_yield_parked(void)
{
    KASSERT(thread_is_user(sched_current));
    if (runqueue_top_priority(&sched_run_queue) < current_priority()) {
        return;
    }
    hal_syscall_set_reg(sched_current->user_frame, 0, 0); /* yield's result, when it resumes */
    sched_current->state = THREAD_READY;
    runqueue_push_back(&sched_run_queue, &sched_current->rq);
    sched_switch_parked(sched_pick_next());
}

void sched_reschedule(void)
{
    KLOCK_ASSERT_HELD();
    if (!sched_need_resched || irq_in_handler()) {
        return;
    }
    sched_need_resched = false;
    bool expired =
        sched_current != idle && timer_running && slice_expired(&sched_current->slice, sched_now());
    switch (
        sched_policy_decide(current_priority(), runqueue_top_priority(&sched_run_queue), expired)) {
    case SCHED_KEEP_RUNNING:
        if (expired) {
            /* Alone at its priority: a fresh slice, and on it goes. */
            slice_stop(&sched_current->slice, sched_now(), false, slice_ns);
            slice_start(&sched_current->slice, sched_now());
        }
        sched_arm_timer();
        return;
    case SCHED_PREEMPT_TO_FRONT:
        sched_current->preemptions++;
        sched_current->state = THREAD_READY;
        runqueue_push_front(&sched_run_queue, &sched_current->rq);
        sched_switch_to(sched_pick_next(), true);
        return;
    case SCHED_PREEMPT_TO_BACK:
        if (sched_current != idle) {
            sched_current->preemptions++;
            sched_current->state = THREAD_READY;
            runqueue_push_back(&sched_run_queue, &sched_current->rq);
        }
        sched_switch_to(sched_pick_next(), false);
        return;
    }
}

int sched_block(enum thread_state state)
{
    KASSERT(sched_current != idle);
    sched_current->state = state;
    sched_switch_to(sched_pick_next(), false);
    return sched_current->ipc_result;
}

void sched_park(enum thread_state state)
{
    KASSERT(thread_is_user(sched_current));
    sched_current->state = state;
    sched_switch_parked(sched_pick_next());
}

/* What t's blocked call returns: for a user thread, straight into its x0. */
static void sched_set_result(struct thread *t, int result)
{
    t->ipc_result = result;
    if (thread_is_user(t)) {
        hal_syscall_set_reg(t->user_frame, 0, (uint64_t)(int64_t)result);
    }
}

void sched_wake(struct thread *t, int result)
{
    KLOCK_ASSERT_HELD();
    sched_set_result(t, result);
    t->blocked_on = NULL;
    sleepq_cancel(&t->sleep);
    sched_ready(t);
}

int sched_block_and_switch_to(enum thread_state state, struct thread *target, int result)
{
    bool park = thread_is_user(sched_current) && !sched_current->recv_buf; /* see ipc_block */

    KASSERT(sched_current != idle);
    /* A hand-off must not let target jump ahead of a more important thread. */
    if (!sched_can_hand_off_to(target)) {
        sched_wake(target, result);
        if (park) {
            sched_park(state);
        }
        return sched_block(state);
    }
    sched_current->state = state;
    sched_set_result(target, result);
    target->blocked_on = NULL;
    sched_hand_off(target, park);
    return sched_current->ipc_result;
}

void sched_exit_current(void)
{
    sched_current->state = THREAD_DEAD;
    sched_switch_to(sched_pick_next(), false);
    panic("a dead thread was scheduled");
}

void sched_sleep_current(uint64_t ns)
{
    uint64_t now = hal_timer_now_ns();
    uint64_t deadline = now + ns < now ? SLEEPQ_NONE - 1 : now + ns;

    KASSERT(timer_running);
    sleepq_insert(&sleepers, &sched_current->sleep, deadline);
    sched_block(THREAD_SLEEPING);
}

/* The timer interrupt: wake the sleepers whose time has come, and end the
 * running thread's slice if it is over. The switch itself waits for the
 * preemption point at the end of the interrupt. */
static void sched_timer_irq(uint32_t irq, void *ctx)
{
    uint64_t now = hal_timer_now_ns();
    struct sleep_node *node;

    (void)irq;
    (void)ctx;
    while ((node = sleepq_pop_expired(&sleepers, now)) != NULL) {
        sched_wake(LIST_ENTRY(node, struct thread, sleep), 0);
    }
    if (sched_current != idle && slice_expired(&sched_current->slice, now)) {
        sched_need_resched = true;
    }
    /* The timer interrupt is level-triggered: it stays raised until the
     * deadline moves. Stop it now, before the interrupt ends, and set it
     * again for what comes next (after the switch, if one is due). */
    hal_timer_stop();
    timer_armed_ns = SCHED_NO_EVENT;
    if (!sched_need_resched) {
        sched_arm_timer();
    }
}

static void idle_main(void *arg)
{
    (void)arg;
    for (;;) {
        unsigned long flags = klock_acquire();
        if (runqueue_top_priority(&sched_run_queue) < 0) {
            /* Masked, so no wake-up can slip in between the check and the wait:
             * wfi still returns when an interrupt becomes pending. */
            if (timer_running && sched_next_event() != timer_armed_ns) {
                sched_program_timer(sched_next_event());
            }
            hal_cpu_idle();
        }
        sched_need_resched = true;
        klock_release(flags); /* a pending interrupt is taken here */
        flags = klock_acquire();
        sched_preempt_point();
        klock_release(flags);
    }
}

void klock_preemption_point(void)
{
    KLOCK_ASSERT_HELD();
    KASSERT(!irq_in_handler());
    hal_irq_window(); /* the interrupt's own preemption point may switch us out */
    sched_preempt_point();
}

void sched_init(void)
{
    runqueue_init(&sched_run_queue);
    sleepq_init(&sleepers);
    sched_current = thread_adopt_boot("main", CONFIG_DEFAULT_PRIORITY);
    sched_current->slice.remaining_ns = slice_ns;
    idle = thread_alloc("idle", 0, idle_main, NULL);
    KASSERT(idle != NULL);
}

void sched_start_preemption(uint64_t slice)
{
    slice_ns = slice ? slice : DEFAULT_SLICE_NS;
    irq_register(hal_timer_irq(), sched_timer_irq, NULL);
    timer_running = true;
    sched_current->slice.remaining_ns = slice_ns;
    slice_start(&sched_current->slice, hal_timer_now_ns());
    sched_arm_timer();
}

uint64_t sched_slice_ns(void)
{
    return slice_ns;
}

uint64_t sched_switch_count(void)
{
    return switch_count + sched_handoffs;
}
