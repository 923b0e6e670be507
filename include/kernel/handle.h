/*
 * Handles: what a task may reach. A handle is a small number that indexes
 * the task's handle table; each slot names one kernel object (an endpoint,
 * a notification, a task) and its type. A task has no other way to name an
 * object, so a task with no handle to an endpoint cannot use it: handles
 * are capabilities.
 *
 * A live slot holds one reference on its object: object_ref/object_unref
 * take and drop references by type, and the two calls at the end of this
 * file pair installing and closing with them. The table functions
 * themselves only store and check.
 *
 * Every call needs the kernel lock (include/kernel/klock.h).
 */
#ifndef KERNEL_HANDLE_H
#define KERNEL_HANDLE_H

#include <stdint.h>

#include "kernel/config.h"

enum handle_type {
    HANDLE_FREE = 0,
    HANDLE_ENDPOINT,
    HANDLE_NOTIFICATION,
    HANDLE_TASK,
    HANDLE_IRQ_CONTROL, /* the right to bind interrupts (kernel/irq_user.c) */
};

struct handle {
    enum handle_type type;
    void *object;
};

struct handle_table {
    struct handle slots[CONFIG_MAX_HANDLES];
};

void handle_table_init(struct handle_table *table);

/* Puts object in the lowest free slot. Returns the handle, or E_NOSPC. */
int handle_install(struct handle_table *table, enum handle_type type, void *object);

/* Puts object in slot h exactly (spawn hands over handles at fixed numbers).
 * E_BADHANDLE if h is out of range, E_BUSY if the slot is taken. */
int handle_install_at(struct handle_table *table, int h, enum handle_type type, void *object);

/* The object behind h, if h is a live handle of the given type (HANDLE_FREE
 * matches any type). E_BADHANDLE otherwise. */
int handle_lookup(const struct handle_table *table, long h, enum handle_type type,
                  struct handle *out);

/* The object behind h if h is a live handle of type type, else NULL:
 * handle_lookup for the hot paths, inline. Kernel lock held. */
static inline void *handle_object(const struct handle_table *table, uint64_t h,
                                  enum handle_type type)
{
    return h < CONFIG_MAX_HANDLES && table->slots[h].type == type ? table->slots[h].object : 0;
}

/* Empties slot h and returns what it held. E_BADHANDLE if it was not live. */
int handle_remove(struct handle_table *table, long h, struct handle *out);

/* How many slots are live. */
unsigned handle_count(const struct handle_table *table);

/* Takes and drops a reference on the object a handle names, by its type.
 * Dropping never switches threads (waiters it wakes run later). */
void object_ref(enum handle_type type, void *object);
void object_unref(enum handle_type type, void *object);

/* Installs a handle for an object the caller holds one reference on; that
 * reference moves into the table, or is dropped if the install fails.
 * Returns the handle or the error. */
int handle_install_new(struct handle_table *table, enum handle_type type, void *object);

/* Closes every handle of the table, dropping their references. */
void handle_close_all(struct handle_table *table);

#endif
