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
