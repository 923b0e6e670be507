/* The O(1) run queue (see include/kernel/runqueue.h). */
#include "kernel/runqueue.h"

#include "kernel/panic.h"

void runqueue_init(struct runqueue *rq)
{
    for (unsigned p = 0; p < CONFIG_PRIORITIES; p++) {
        list_init(&rq->queues[p]);
    }
    rq->ready_bitmap = 0;
}
