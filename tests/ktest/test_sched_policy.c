/* Preemption decisions and time-slice accounting against a model. */
#include "kernel/sched_policy.h"
#include "lib/ktest.h"

KTEST(sched_policy, decisions)
{
    /* Nothing ready: keep running, even with the slice used up. */
    KTEST_EXPECT_EQ(t, sched_policy_decide(5, -1, true), SCHED_KEEP_RUNNING);
    /* Idle gives way to anything. */
    KTEST_EXPECT_EQ(t, sched_policy_decide(-1, 0, false), SCHED_PREEMPT_TO_BACK);
    KTEST_EXPECT_EQ(t, sched_policy_decide(-1, -1, false), SCHED_KEEP_RUNNING);
    /* More important: at once, keeping our place if the slice was not over... */
    KTEST_EXPECT_EQ(t, sched_policy_decide(5, 6, false), SCHED_PREEMPT_TO_FRONT);
    /* ...but behind our peers if it was: the front would hand us a fresh
     * slice ahead of them, and a spinner woken past on every tick would
     * starve its equal-priority peer for ever. */
    KTEST_EXPECT_EQ(t, sched_policy_decide(5, 6, true), SCHED_PREEMPT_TO_BACK);
    /* A peer: only once the slice is over. */
    KTEST_EXPECT_EQ(t, sched_policy_decide(5, 5, false), SCHED_KEEP_RUNNING);
    KTEST_EXPECT_EQ(t, sched_policy_decide(5, 5, true), SCHED_PREEMPT_TO_BACK);
    /* Less important: never. */
    KTEST_EXPECT_EQ(t, sched_policy_decide(5, 4, true), SCHED_KEEP_RUNNING);
}

/* The rule written the long way, to check the short one against. */
static enum sched_decision model_decide(int cur, int top, int expired)
{
    if (top == -1) {
        return SCHED_KEEP_RUNNING;
    }
    if (cur == -1) {
        return SCHED_PREEMPT_TO_BACK;
    }
    if (top > cur && !expired) {
        return SCHED_PREEMPT_TO_FRONT;
    }
    if (top > cur) {
        return SCHED_PREEMPT_TO_BACK;
    }
    if (top == cur) {
        return expired ? SCHED_PREEMPT_TO_BACK : SCHED_KEEP_RUNNING;
    }
    return SCHED_KEEP_RUNNING;
}

KTEST(sched_policy, decisions_match_model_exhaustively)
{
    for (int cur = -1; cur < 32; cur++) {
        for (int top = -1; top < 32; top++) {
            for (int expired = 0; expired < 2; expired++) {
                if (!KTEST_EXPECT_EQ(t, sched_policy_decide(cur, top, expired),
                                     model_decide(cur, top, expired))) {
                    return;
                }
            }
        }
    }
}

KTEST(sched_policy, slice_accounting)
{
    struct slice s = {.remaining_ns = 10, .end_ns = 0};

    slice_start(&s, 100);
    KTEST_EXPECT_EQ(t, s.end_ns, 110);
    KTEST_EXPECT_FALSE(t, slice_expired(&s, 109));
    KTEST_EXPECT_TRUE(t, slice_expired(&s, 110));
    /* Preempted early at 104: 6 left, and it gets exactly those back. */
    slice_stop(&s, 104, true, 10);
    KTEST_EXPECT_EQ(t, s.remaining_ns, 6);
    slice_start(&s, 200);
    KTEST_EXPECT_EQ(t, s.end_ns, 206);
    /* Used up: a whole new slice next time. */
    slice_stop(&s, 206, true, 10);
    KTEST_EXPECT_EQ(t, s.remaining_ns, 10);
    /* Blocked or yielded: also a whole new slice. */
    slice_start(&s, 300);
    slice_stop(&s, 301, false, 10);
    KTEST_EXPECT_EQ(t, s.remaining_ns, 10);
}

KTEST(sched_policy, next_timer_event)
{
    KTEST_EXPECT_EQ(t, sched_policy_next_event(false, 500, SCHED_NO_EVENT), 500);
    KTEST_EXPECT_EQ(t, sched_policy_next_event(false, 500, 300), 300);
    KTEST_EXPECT_EQ(t, sched_policy_next_event(true, 500, 800), 800);
    /* Idle with no sleepers: stop the timer. */
    KTEST_EXPECT_TRUE(t, sched_policy_next_event(true, 500, SCHED_NO_EVENT) == SCHED_NO_EVENT);
}
