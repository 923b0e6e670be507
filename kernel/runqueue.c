/* The O(1) run queue (see include/kernel/runqueue.h). */
#include "kernel/runqueue.h"

#include "kernel/panic.h"

void runqueue_init(struct runqueue *rq)
{
    for (unsigned p = 0; p < CONFIG_PRIORITIES; p++) {
        list_init(&rq->queues[p]);
    }
    rq->ready_bitmap = 0;
    rq->count = 0;
}

static void runqueue_insert(struct runqueue *rq, struct rq_node *node, int front)
{
    KASSERT(node->priority < CONFIG_PRIORITIES);
    KASSERT(!list_linked(&node->link));
    if (front) {
        list_push_front(&rq->queues[node->priority], &node->link);
    } else {
        list_push_back(&rq->queues[node->priority], &node->link);
    }
    rq->ready_bitmap |= 1u << node->priority;
    rq->count++;
}

void runqueue_push_back(struct runqueue *rq, struct rq_node *node)
{
    runqueue_insert(rq, node, 0);
}

void runqueue_push_front(struct runqueue *rq, struct rq_node *node)
{
    runqueue_insert(rq, node, 1);
}

void runqueue_remove(struct runqueue *rq, struct rq_node *node)
{
    KASSERT(list_linked(&node->link));
    list_remove(&node->link);
    if (list_empty(&rq->queues[node->priority])) {
        rq->ready_bitmap &= ~(1u << node->priority);
    }
    rq->count--;
}

struct rq_node *runqueue_peek(const struct runqueue *rq)
{
    int p = runqueue_top_priority(rq);

    if (p < 0) {
        return NULL;
    }
    return LIST_ENTRY(rq->queues[p].next, struct rq_node, link);
}

struct rq_node *runqueue_pop(struct runqueue *rq)
{
    struct rq_node *node = runqueue_peek(rq);

    if (node) {
        runqueue_remove(rq, node);
    }
    return node;
}
