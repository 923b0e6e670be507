/* Notifications (see include/kernel/notify.h). */
#include "kernel/notify.h"

#include "hal/user.h"

#include "kernel/failpoint.h"
#include "kernel/klock.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "uapi/errors.h"

static struct notification notifications[CONFIG_MAX_NOTIFICATIONS];

int notify_create(struct notification **out)
{
    unsigned long flags = klock_acquire();
    int err = E_NOSPC;
    /* A failed injection leaves the loop with nothing to search. */
    unsigned searched = failpoint_hit(FAILPOINT_NOTIFICATION) ? 0 : CONFIG_MAX_NOTIFICATIONS;

    for (unsigned i = 0; i < searched; i++) {
        struct notification *n = &notifications[i];
        if (n->refs == 0) {
            n->refs = 1;
            n->alive = 1;
            n->bits = 0;
            list_init(&n->waiters);
            *out = n;
            err = 0;
            break;
        }
    }
    klock_release(flags);
    return err;
}

void notify_ref(struct notification *n)
{
    KLOCK_ASSERT_HELD();
    KASSERT(n->refs > 0);
    n->refs++;
}

void notify_unref(struct notification *n)
{
    struct list_node *node;

    KLOCK_ASSERT_HELD();
    KASSERT(n->refs > 0);
    if (--n->refs == 0) {
        n->alive = 0;
        while ((node = list_pop_front(&n->waiters)) != NULL) {
            struct thread *t = LIST_ENTRY(node, struct thread, rq.link);
            sched_wake(t, E_DEAD);
        }
    }
}

int notify_signal(struct notification *n, uint64_t bits)
{
    unsigned long flags = klock_acquire();

    notify_signal_locked(n, bits);
    sched_preempt_point();
    klock_release(flags);
    return 0;
}

void notify_signal_locked(struct notification *n, uint64_t bits)
{
    struct list_node *node;

    KLOCK_ASSERT_HELD();
    bits &= ~(1ULL << 63);
    n->bits |= bits;
    if (n->bits && (node = list_pop_front(&n->waiters)) != NULL) {
        struct thread *t = LIST_ENTRY(node, struct thread, rq.link);
        sched_wake(t, 0);
        t->notify_bits = n->bits;
        if (thread_is_user(t)) {
            hal_syscall_set_reg(t->user_frame, 0, n->bits); /* what its wait returns */
        }
        n->bits = 0;
    }
}

int64_t notify_wait(struct notification *n)
{
    unsigned long flags = klock_acquire();
    int64_t result = notify_wait_locked(n);

    klock_release(flags);
    return result;
}

int64_t notify_wait_locked(struct notification *n)
{
    struct thread *self = thread_current();

    KLOCK_ASSERT_HELD();
    if (n->bits) {
        int64_t bits = (int64_t)n->bits;
        n->bits = 0;
        return bits;
    }
    self->notify_bits = 0;
    list_push_back(&n->waiters, &self->rq.link);
    if (thread_is_user(self)) {
        sched_park(THREAD_BLOCKED_NOTIFY); /* its waker writes the bits into its x0 */
    }
    int err = sched_block(THREAD_BLOCKED_NOTIFY);
    return err < 0 ? err : (int64_t)self->notify_bits;
}

unsigned notify_count(void)
{
    unsigned long flags = klock_acquire();
    unsigned n = 0;

    for (unsigned i = 0; i < CONFIG_MAX_NOTIFICATIONS; i++) {
        n += notifications[i].refs > 0;
    }
    klock_release(flags);
    return n;
}
