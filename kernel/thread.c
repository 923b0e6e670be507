/*
 * Thread slots and their stacks: a fixed table of CONFIG_MAX_THREADS threads,
 * each with a kernel stack from kernel/kstack.c, mapped above an unmapped
 * guard page: a stack that grows past its end faults at once, and the
 * fault report says "kernel stack overflow".
 *
 * The lowest word of every stack also holds a canary, checked at each switch
 * away from the thread: it catches a thread that wrote into the bottom of its
 * stack without crossing into the guard, and it is the only check in the
 * host tests, where stacks have no guard.
 */
#include "hal/context.h"
#include "kernel/config.h"
#include "kernel/failpoint.h"
#include "kernel/ipc.h"
#include "kernel/klock.h"
#include "kernel/kstack.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "hal/fpsimd.h"
#include "kernel/thread_internal.h"
#include "kernel/trace.h"
#include "lib/string.h"

static struct thread threads[CONFIG_MAX_THREADS];
static uint32_t next_thread_id = 1;
/* A thread that exited; its slot is freed once we run on another stack. */
static struct thread *dead_thread;

static void thread_bootstrap(void *arg)
{
    struct thread *self = arg;

    kernel_after_switch();
    /* We were switched to with interrupts masked; a thread runs with them on. */
    hal_irq_local_enable();
    self->entry(self->arg);
    thread_exit();
}

static struct thread *thread_claim_slot(const char *name, unsigned priority)
{
    KLOCK_ASSERT_HELD();
    KASSERT(priority < CONFIG_PRIORITIES);
    if (failpoint_hit(FAILPOINT_THREAD)) {
        return NULL;
    }
    for (unsigned i = 0; i < CONFIG_MAX_THREADS; i++) {
        struct thread *t = &threads[i];
        if (t->state != THREAD_UNUSED) {
            continue;
        }
        memset(t, 0, sizeof(*t));
        t->id = next_thread_id++;
        t->badge = t->id;
        hal_fpsimd_init(&t->fp);
        t->rq.priority = priority;
        list_init(&t->rq.link);
        list_init(&t->joiners);
        strlcpy(t->name, name, sizeof(t->name));
        list_init(&t->sleep.link);
        t->slice.remaining_ns = sched_slice_ns();
        trace_thread_named(t);
        return t;
    }
    return NULL;
}

struct thread *thread_alloc(const char *name, unsigned priority, void (*entry)(void *), void *arg)
{
    struct thread *t = thread_claim_slot(name, priority);

    if (!t) {
        return NULL;
    }
    if (kstack_alloc(&t->kstack, name) < 0) {
        t->state = THREAD_UNUSED;
        return NULL;
    }
    t->stack = kstack_usable_base(&t->kstack);
    t->entry = entry;
    t->arg = arg;
    *(uint64_t *)t->stack = STACK_CANARY;
    hal_context_init(&t->context, t->stack, t->kstack.size, thread_bootstrap, t);
    t->state = THREAD_READY; /* the caller queues it, or (idle) keeps it aside */
    return t;
}

struct thread *thread_adopt_boot(const char *name, unsigned priority)
{
    struct thread *t = thread_claim_slot(name, priority);

    KASSERT(t != NULL);
    t->stack = NULL; /* it keeps running on the boot stack, which has no canary */
    t->state = THREAD_RUNNING;
    return t;
}

struct thread *thread_create(const char *name, unsigned priority, void (*entry)(void *), void *arg)
{
    unsigned long flags = klock_acquire();
    struct thread *t = thread_alloc(name, priority, entry, arg);

    if (t) {
        sched_make_ready(t);
        sched_preempt_point(); /* a more important thread runs at once */
    }
    klock_release(flags);
    return t;
}

struct thread *thread_create_suspended(const char *name, unsigned priority, void (*entry)(void *),
                                       void *arg)
{
    struct thread *t = thread_alloc(name, priority, entry, arg);

    if (t) {
        t->state = THREAD_SUSPENDED; /* not runnable until thread_start */
    }
    return t;
}

void thread_start(struct thread *t)
{
    KLOCK_ASSERT_HELD();
    KASSERT(t->state == THREAD_SUSPENDED);
    sched_make_ready(t);
}

void thread_kill_task_others(struct task *task, struct thread *keep)
{
    KLOCK_ASSERT_HELD();
    for (unsigned i = 0; i < CONFIG_MAX_THREADS; i++) {
        struct thread *t = &threads[i];
        if (t != keep && t->task == task && t->state != THREAD_UNUSED && t->state != THREAD_DEAD) {
            thread_kill_other(t);
        }
    }
}

void thread_yield(void)
{
    unsigned long flags = klock_acquire();

    sched_yield_current();
    klock_release(flags);
}

void thread_sleep(uint64_t ns)
{
    unsigned long flags = klock_acquire();

    sched_sleep_current(ns);
    klock_release(flags);
}

void thread_stack_overflowed(const struct thread *t)
{
    panic("kernel stack overflow in thread %u (%s)", t->id, t->name);
}

/* Gives a thread's slot and stack back. It must not be running. */
static void thread_release(struct thread *t)
{
    KLOCK_ASSERT_HELD();
    if (t->stack) {
        kstack_free(&t->kstack);
        t->stack = NULL;
    }
    t->state = THREAD_UNUSED;
}

struct hal_fpsimd_state *kernel_fpsimd_running(void)
{
    return &sched_current->fp;
}

void kernel_after_switch(void)
{
    if (dead_thread) {
        thread_release(dead_thread);
        dead_thread = NULL;
    }
}

void thread_exit(void)
{
    struct thread *self = thread_current();
    struct list_node *node;

    klock_acquire(); /* never released: this thread does not come back */
    ipc_thread_exiting(self);
    hal_fpsimd_forget(&self->fp);
    while ((node = list_pop_front(&self->joiners)) != NULL) {
        sched_wake(LIST_ENTRY(node, struct thread, rq.link), 0);
    }
    dead_thread = self;
    sched_exit_current();
}

void thread_join(uint32_t id)
{
    unsigned long flags = klock_acquire();

    for (unsigned i = 0; i < CONFIG_MAX_THREADS; i++) {
        struct thread *t = &threads[i];
        if (t->id == id && t->state != THREAD_UNUSED && t->state != THREAD_DEAD) {
            struct thread *self = thread_current();
            KASSERT(t != self);
            list_push_back(&t->joiners, &self->rq.link);
            sched_block(THREAD_BLOCKED_JOIN);
            break;
        }
    }
    klock_release(flags);
}

void *thread_kstack_top(const struct thread *t)
{
    return t->stack + t->kstack.size;
}

void thread_kill_other(struct thread *t)
{
    struct list_node *node;

    KLOCK_ASSERT_HELD();
    KASSERT(t != thread_current() && t->state != THREAD_RUNNING);
    ipc_thread_exiting(t);
    sched_remove(t);
    /* Blocked anywhere else (a notification, a join, a task_wait): its one
     * link is in that wait list, which must not wake a freed thread later. */
    if (list_linked(&t->rq.link)) {
        list_remove(&t->rq.link);
    }
    while ((node = list_pop_front(&t->joiners)) != NULL) {
        sched_wake(LIST_ENTRY(node, struct thread, rq.link), 0);
    }
    hal_fpsimd_forget(&t->fp);
    thread_release(t);
}

unsigned thread_count(void)
{
    unsigned long flags = klock_acquire();
    unsigned n = 0;

    for (unsigned i = 0; i < CONFIG_MAX_THREADS; i++) {
        n += threads[i].state != THREAD_UNUSED;
    }
    klock_release(flags);
    return n;
}

const char *thread_state_name(enum thread_state state)
{
    static const char *const names[] = {
        "UNUSED",         "READY",         "RUNNING",      "BLOCKED_SEND",
        "BLOCKED_RECV",   "BLOCKED_REPLY", "BLOCKED_JOIN", "SLEEPING",
        "BLOCKED_NOTIFY", "SUSPENDED",     "DEAD",
    };
    return (unsigned)state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}
