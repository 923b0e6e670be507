/*
 * The scheduler: which thread runs next, and the switch to it.
 *
 * Ready threads wait in one run queue (kernel/runqueue.c): a FIFO per
 * priority and a bitmap of the non-empty ones. The idle thread is never in
 * it; it runs only when nothing else is ready, and waits for an interrupt.
 *
 * A switch happens only when the running thread asks for it (yield, block,
 * exit): cooperative scheduling. Every function expects interrupts masked.
 */
#include "hal/context.h"
#include "hal/cpu.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "kernel/thread_internal.h"

static struct runqueue run_queue;
static struct thread *current;
static struct thread *idle;

struct thread *thread_current(void)
{
    return current;
}

static struct thread *thread_of(struct rq_node *node)
{
    return LIST_ENTRY(node, struct thread, rq);
}

void sched_make_ready(struct thread *t)
{
    t->state = THREAD_READY;
    if (t != idle) {
        runqueue_push_back(&run_queue, &t->rq);
    }
}

/* The next thread to run: the first of the highest ready priority, else idle. */
static struct thread *sched_pick_next(void)
{
    struct rq_node *node = runqueue_pop(&run_queue);

    return node ? thread_of(node) : idle;
}

/* Switches from the current thread to next. The current thread's state must
 * already say where it is going (READY and queued, BLOCKED_*, or DEAD). */
static void sched_switch_to(struct thread *next)
{
    struct thread *prev = current;

    thread_check_stack(prev);
    if (next == prev) {
        prev->state = THREAD_RUNNING;
        return;
    }
    current = next;
    next->state = THREAD_RUNNING;
    hal_context_switch(&prev->context, &next->context);
    /* Back on prev's stack: someone switched to us again. */
    thread_after_switch();
}

void thread_yield(void)
{
    if (runqueue_top_priority(&run_queue) < (int)current->rq.priority && current != idle) {
        return; /* nobody as important is waiting */
    }
    sched_make_ready(current);
    sched_switch_to(sched_pick_next());
}

int sched_block(enum thread_state state)
{
    KASSERT(current != idle);
    current->state = state;
    sched_switch_to(sched_pick_next());
    return current->ipc_result;
}

void sched_wake(struct thread *t, int result)
{
    t->ipc_result = result;
    t->blocked_on = NULL;
    sched_make_ready(t);
}

int sched_block_and_switch_to(enum thread_state state, struct thread *target, int result)
{
    KASSERT(current != idle);
    current->state = state;
    target->ipc_result = result;
    target->blocked_on = NULL;
    sched_switch_to(target);
    return current->ipc_result;
}

void sched_exit_current(void)
{
    current->state = THREAD_DEAD;
    sched_switch_to(sched_pick_next());
    panic("a dead thread was scheduled");
}

static void idle_main(void *arg)
{
    (void)arg;
    for (;;) {
        hal_cpu_idle();
        thread_yield();
    }
}

void sched_init(void)
{
    runqueue_init(&run_queue);
    current = thread_adopt_boot("main", CONFIG_DEFAULT_PRIORITY);
    idle = thread_alloc("idle", 0, idle_main, NULL);
    KASSERT(idle != NULL);
    idle->state = THREAD_READY;
}
