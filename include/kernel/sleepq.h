/*
 * The sleep queue: threads waiting for a moment in time, kept in deadline
 * order so the earliest is always first. The timer is programmed for that
 * first deadline only. Threads with the same deadline wake in the order
 * they went to sleep.
 *
 * A sorted list makes inserting O(n) in the number of sleepers and
 * everything else O(1); with tens of sleepers that is the right trade for a
 * structure a reader can check at a glance.
 */
#ifndef KERNEL_SLEEPQ_H
#define KERNEL_SLEEPQ_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/list.h"

#define SLEEPQ_NONE UINT64_MAX

struct sleep_node {
    struct list_node link;
    uint64_t deadline_ns;
};

struct sleepq {
    struct list_node head;
};

void sleepq_init(struct sleepq *q);

/* Queues node to wake at deadline_ns, behind any node with the same deadline. */
void sleepq_insert(struct sleepq *q, struct sleep_node *node, uint64_t deadline_ns);

/* Takes node out early (a cancelled sleep). Harmless if node is not queued.
 * Inline, as the next: every wake-up and every switch asks. */
static inline void sleepq_cancel(struct sleep_node *node)
{
    if (list_linked(&node->link)) {
        list_remove(&node->link);
    }
}

/* The earliest deadline, or SLEEPQ_NONE when nobody sleeps. */
static inline uint64_t sleepq_next_deadline(const struct sleepq *q)
{
    struct list_node *first = list_first(&q->head);

    return first ? LIST_ENTRY(first, struct sleep_node, link)->deadline_ns : SLEEPQ_NONE;
}

/* Removes and returns the first node whose deadline is <= now_ns, or NULL. */
struct sleep_node *sleepq_pop_expired(struct sleepq *q, uint64_t now_ns);

#endif
