/*
 * Intrusive doubly linked lists, as in most kernels: the link lives inside
 * the object (a thread has a list_node), so putting an object on a list
 * never allocates. A list is a circular chain through a head node; an empty
 * list's head points at itself, and so does a node that is on no list.
 */
#ifndef LIB_LIST_H
#define LIB_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
    struct list_node *prev;
    struct list_node *next;
};

/* An empty list, for a static head: static struct list_node q = LIST_INIT(q); */
#define LIST_INIT(head)                                                                            \
    {                                                                                              \
        &(head), &(head)                                                                           \
    }

/* The object that contains node, which is its member called member. */
#define LIST_ENTRY(node, type, member) ((type *)((char *)(node)-offsetof(type, member)))

static inline void list_init(struct list_node *head)
{
    head->prev = head;
    head->next = head;
}

static inline bool list_empty(const struct list_node *head)
{
    return head->next == head;
}

/* Whether node is on some list (nodes are reset to themselves on removal). */
static inline bool list_linked(const struct list_node *node)
{
    return node->next != node;
}

static inline void list_insert_between(struct list_node *node, struct list_node *prev,
                                       struct list_node *next)
{
    node->prev = prev;
    node->next = next;
    prev->next = node;
    next->prev = node;
}

static inline void list_push_back(struct list_node *head, struct list_node *node)
{
    list_insert_between(node, head->prev, head);
}

static inline void list_push_front(struct list_node *head, struct list_node *node)
{
    list_insert_between(node, head, head->next);
}

static inline void list_remove(struct list_node *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    list_init(node);
}

/* The first node, or NULL when the list is empty. */
static inline struct list_node *list_first(const struct list_node *head)
{
    return list_empty(head) ? NULL : head->next;
}

/* Removes and returns the first node, or NULL when the list is empty. */
static inline struct list_node *list_pop_front(struct list_node *head)
{
    struct list_node *node = list_first(head);
    if (node) {
        list_remove(node);
    }
    return node;
}

#define LIST_FOR_EACH(node, head)                                                                  \
    for ((node) = (head)->next; (node) != (head); (node) = (node)->next)

#endif
