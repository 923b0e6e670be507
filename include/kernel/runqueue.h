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

#include <stdint.h>

#include "kernel/config.h"
#include "lib/list.h"

_Static_assert(CONFIG_PRIORITIES <= 32, "the ready bitmap is 32 bits");

struct rq_node {
    struct list_node link;
    unsigned priority;
};

struct runqueue {
    struct list_node queues[CONFIG_PRIORITIES];
    uint32_t ready_bitmap;
    unsigned count;
};

void runqueue_init(struct runqueue *rq);

/* Appends node behind the others of its priority. node must be on no list. */
void runqueue_push_back(struct runqueue *rq, struct rq_node *node);

/* Puts node first among its priority (a preempted thread keeps its turn). */
void runqueue_push_front(struct runqueue *rq, struct rq_node *node);

/* Takes node out of the queue. node must be in rq. */
void runqueue_remove(struct runqueue *rq, struct rq_node *node);

/* The first node of the highest non-empty priority, or NULL. Does not remove it. */
struct rq_node *runqueue_peek(const struct runqueue *rq);

/* Removes and returns what runqueue_peek would return. */
struct rq_node *runqueue_pop(struct runqueue *rq);

/* The highest priority with a ready thread, or -1 if none: one
 * count-leading-zeros of the bitmap, on every hand-off's path. */
static inline int runqueue_top_priority(const struct runqueue *rq)
{
    return rq->ready_bitmap ? 31 - __builtin_clz(rq->ready_bitmap) : -1;
}

#endif
