/*
 * The scheduler's decisions, as pure functions of a few numbers, so they
 * can be tested on their own against a model (tests/ktest/test_sched_policy.c)
 * and read without the machinery around them (kernel/sched.c).
 *
 * Policy: fixed priorities, round-robin within a priority.
 *   - A ready thread of higher priority than the running one preempts it
 *     at once. The preempted thread goes back to the FRONT of its queue and
 *     keeps the rest of its time slice: it was not done with its turn. If
 *     its slice ended at that same moment, its turn was over: it goes to
 *     the BACK, as it would have without the interruption.
 *   - A thread that used up its slice goes to the BACK of its queue with a
 *     fresh slice, if another thread of its priority is ready; if it is the
 *     only one, it simply gets a fresh slice and goes on.
 *   - The idle thread gives way to anything ready.
 */
#ifndef KERNEL_SCHED_POLICY_H
#define KERNEL_SCHED_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#define SCHED_NO_EVENT UINT64_MAX

enum sched_decision {
    SCHED_KEEP_RUNNING,
    SCHED_PREEMPT_TO_FRONT, /* a more important thread is ready, and our slice is not over */
    SCHED_PREEMPT_TO_BACK,  /* the slice is used up and someone is waiting (or we are idle) */
};

/*
 * current_priority is -1 for the idle thread; top_ready is the highest ready
 * priority, or -1 when nothing is ready.
 */
enum sched_decision sched_policy_decide(int current_priority, int top_ready, bool slice_expired);

/* A thread's time slice: what is left of it, and when it ends while running. */
struct slice {
    uint64_t remaining_ns;
    uint64_t end_ns;
};

/* The thread starts running at now_ns: its slice ends remaining_ns later.
 * (These three and sched_policy_next_event are on every switch's path:
 * inline.) */
static inline void slice_start(struct slice *s, uint64_t now_ns)
{
    s->end_ns = now_ns + s->remaining_ns;
}

/* The thread stops running at now_ns; preempted_early keeps the unused rest
 * for next time, otherwise the next turn gets a whole slice_ns. */
static inline void slice_stop(struct slice *s, uint64_t now_ns, bool preempted_early,
                              uint64_t slice_ns)
{
    if (preempted_early && now_ns < s->end_ns) {
        s->remaining_ns = s->end_ns - now_ns;
    } else {
        s->remaining_ns = slice_ns;
    }
}

static inline bool slice_expired(const struct slice *s, uint64_t now_ns)
{
    return now_ns >= s->end_ns;
}

/*
 * When the timer must fire next: the end of the running thread's slice
 * (none for idle) or the earliest sleeper's deadline, whichever is first;
 * SCHED_NO_EVENT when neither exists and the timer can stop.
 */
static inline uint64_t sched_policy_next_event(bool running_idle, uint64_t slice_end_ns,
                                               uint64_t next_wake_ns)
{
    uint64_t event = running_idle ? SCHED_NO_EVENT : slice_end_ns;

    return next_wake_ns < event ? next_wake_ns : event;
}

#endif
