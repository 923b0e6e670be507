/* The deadline-ordered sleep queue (see include/kernel/sleepq.h). */
#include "kernel/sleepq.h"

void sleepq_init(struct sleepq *q)
{
    list_init(&q->head);
}

void sleepq_insert(struct sleepq *q, struct sleep_node *node, uint64_t deadline_ns)
{
    struct list_node *pos;

    node->deadline_ns = deadline_ns;
    /* Walk back from the latest: new sleepers usually sleep longest. */
    for (pos = q->head.prev; pos != &q->head; pos = pos->prev) {
        if (LIST_ENTRY(pos, struct sleep_node, link)->deadline_ns <= deadline_ns) {
            break;
        }
    }
    list_insert_between(&node->link, pos, pos->next);
}

struct sleep_node *sleepq_pop_expired(struct sleepq *q, uint64_t now_ns)
{
    struct list_node *first = list_first(&q->head);

    if (!first || LIST_ENTRY(first, struct sleep_node, link)->deadline_ns > now_ns) {
        return NULL;
    }
    list_remove(first);
    return LIST_ENTRY(first, struct sleep_node, link);
}
