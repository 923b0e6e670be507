/* Notifications: bits accumulate, a wait takes and clears them, a signal
 * wakes the oldest waiter, and the last reference wakes waiters with E_DEAD. */
#include "kernel/klock.h"
#include "kernel/notify.h"
#include "kernel/thread.h"
#include "lib/ktest.h"
#include "uapi/errors.h"

KTEST(notify, bits_accumulate_until_a_wait_takes_them)
{
    struct notification *n;
    unsigned before = notify_count();

    KTEST_ASSERT_EQ(t, notify_create(&n), 0);
    KTEST_EXPECT_EQ(t, notify_count(), before + 1);
    KTEST_EXPECT_EQ(t, notify_signal(n, 0x1), 0);
    KTEST_EXPECT_EQ(t, notify_signal(n, 0x4), 0);
    KTEST_EXPECT_EQ(t, notify_signal(n, 0x4), 0); /* the same bit twice is one event */
    KTEST_EXPECT_EQ(t, notify_wait(n), 0x5);
    KTEST_EXPECT_EQ(t, notify_signal(n, 1ULL << 63), 0); /* bit 63 cannot be delivered */
    KTEST_EXPECT_EQ(t, n->bits, 0);
    unsigned long flags = klock_acquire();
    notify_unref(n);
    klock_release(flags);
    KTEST_EXPECT_EQ(t, notify_count(), before);
}

static struct notification *waited;
static int64_t wait_results[2];

static void notify_waiter(void *arg)
{
    wait_results[(uintptr_t)arg] = notify_wait(waited);
}

KTEST(notify, signal_wakes_the_oldest_waiter_and_unref_wakes_the_rest)
{
    uint32_t ids[2];

    KTEST_ASSERT_EQ(t, notify_create(&waited), 0);
    for (uintptr_t i = 0; i < 2; i++) {
        wait_results[i] = 12345;
        struct thread *th =
            thread_create("waiter", CONFIG_DEFAULT_PRIORITY + 1, notify_waiter, (void *)i);
        KTEST_ASSERT_TRUE(t, th != NULL);
        KTEST_EXPECT_EQ(t, th->state, THREAD_BLOCKED_NOTIFY);
        ids[i] = th->id;
    }
    KTEST_EXPECT_EQ(t, notify_signal(waited, 0x30), 0);
    KTEST_EXPECT_EQ(t, wait_results[0], 0x30);
    KTEST_EXPECT_EQ(t, wait_results[1], 12345); /* still waiting */
    unsigned long flags = klock_acquire();
    notify_unref(waited); /* the waiter wakes at our next switch: the join */
    klock_release(flags);
    for (int i = 0; i < 2; i++) {
        thread_join(ids[i]);
    }
    KTEST_EXPECT_EQ(t, wait_results[1], E_DEAD);
}
