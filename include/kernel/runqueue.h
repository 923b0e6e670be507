/*
 * The run queue: one FIFO list per priority, and a bitmap with bit p set
 * exactly when list p is non-empty. Finding the most important ready thread
 * is then one "count leading zeros" instruction, whatever the number of
 * threads: O(1).
 *
 * The run queue knows only rq_node, not threads, so it can be tested on its
 * own against a simple model (tests/ktest/test_runqueue.c).
 */
#ifndef KERNEL_RUNQUEUE_H
#define KERNEL_RUNQUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/config.h"
#include "kernel/panic.h"
#include "lib/list.h"

_Static_assert(CONFIG_PRIORITIES <= 32, "the ready bitmap is 32 bits");

struct rq_node {
    struct list_node link;
    unsigned priority;
};

struct runqueue {
    struct list_node queues[CONFIG_PRIORITIES];
    uint32_t ready_bitmap;
};

void runqueue_init(struct runqueue *rq);

/* The operations below are on every switch's path: inline. */

static inline __attribute__((always_inline)) void runqueue_insert(struct runqueue *rq,
                                                                  struct rq_node *node, bool front)
{
    KASSERT(node->priority < CONFIG_PRIORITIES);
    KASSERT(!list_linked(&node->link));
    if (front) {
        list_push_front(&rq->queues[node->priority], &node->link);
    } else {
        list_push_back(&rq->queues[node->priority], &node->link);
    }
    rq->ready_bitmap |= 1u << node->priority;
}

/* Appends node behind the others of its priority. node must be on no list. */
static inline __attribute__((always_inline)) void runqueue_push_back(struct runqueue *rq,
                                                                     struct rq_node *node)
{
    runqueue_insert(rq, node, false);
}

/* Puts node first among its priority (a preempted thread keeps its turn). */
static inline void runqueue_push_front(struct runqueue *rq, struct rq_node *node)
{
    runqueue_insert(rq, node, true);
}

/* Takes node out of the queue. node must be in rq. */
static inline __attribute__((always_inline)) void runqueue_remove(struct runqueue *rq,
                                                                  struct rq_node *node)
{
    KASSERT(list_linked(&node->link));
    list_remove(&node->link);
    if (list_empty(&rq->queues[node->priority])) {
        rq->ready_bitmap &= ~(1u << node->priority);
    }
}

/* The highest priority with a ready thread, or -1 if none: one
 * count-leading-zeros of the bitmap, on every hand-off's path. */
static inline int runqueue_top_priority(const struct runqueue *rq)
{
    return rq->ready_bitmap ? 31 - __builtin_clz(rq->ready_bitmap) : -1;
}

/* The first node of the highest non-empty priority, or NULL. Does not remove it. */
static inline __attribute__((always_inline)) struct rq_node *
runqueue_peek(const struct runqueue *rq)
{
    int p = runqueue_top_priority(rq);

    return p < 0 ? NULL : LIST_ENTRY(rq->queues[p].next, struct rq_node, link);
}

/* Removes and returns what runqueue_peek would return. */
static inline __attribute__((always_inline)) struct rq_node *runqueue_pop(struct runqueue *rq)
{
    struct rq_node *node = runqueue_peek(rq);

    if (node) {
        runqueue_remove(rq, node);
    }
    return node;
}

/* Whether a thread more important than priority is ready: the hand-off
 * test of the fast paths, one shift. */
static inline bool runqueue_has_above(const struct runqueue *rq, unsigned priority)
{
    return ((uint64_t)rq->ready_bitmap >> priority) > 1;
}

#endif
