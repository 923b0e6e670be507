/* The scheduler's policy as pure functions (see include/kernel/sched_policy.h). */
#include "kernel/sched_policy.h"

enum sched_decision sched_policy_decide(int current_priority, int top_ready, bool slice_expired)
{
    if (top_ready < 0) {
        return SCHED_KEEP_RUNNING;
    }
    if (current_priority < 0) {
        return SCHED_PREEMPT_TO_BACK; /* idle: anything ready goes first */
    }
    if (top_ready > current_priority) {
        /* Preempted before its slice was over, it keeps its place; one whose
         * slice ended at the same moment has had its turn and queues behind
         * its peers, or it could run on fresh slices for ever. */
        return slice_expired ? SCHED_PREEMPT_TO_BACK : SCHED_PREEMPT_TO_FRONT;
    }
    if (top_ready == current_priority && slice_expired) {
        return SCHED_PREEMPT_TO_BACK;
    }
    return SCHED_KEEP_RUNNING;
}

void slice_start(struct slice *s, uint64_t now_ns)
{
    s->end_ns = now_ns + s->remaining_ns;
}

void slice_stop(struct slice *s, uint64_t now_ns, bool preempted_early, uint64_t slice_ns)
{
    if (preempted_early && now_ns < s->end_ns) {
        s->remaining_ns = s->end_ns - now_ns;
    } else {
        s->remaining_ns = slice_ns;
    }
}

bool slice_expired(const struct slice *s, uint64_t now_ns)
{
    return now_ns >= s->end_ns;
}

uint64_t sched_policy_next_event(bool running_idle, uint64_t slice_end_ns, uint64_t next_wake_ns)
{
    uint64_t event = running_idle ? SCHED_NO_EVENT : slice_end_ns;

    return next_wake_ns < event ? next_wake_ns : event;
}
