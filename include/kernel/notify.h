/*
 * Notifications: a word of signal bits. signal ORs bits in and wakes a
 * waiter; wait returns the bits and clears them, blocking while they are 0.
 * Unlike a message, a signal never blocks the signaller and never queues:
 * signalling the same bit twice before anyone waits is one event. That is
 * what interrupts need, and user-mode drivers receive theirs this way.
 */
#ifndef KERNEL_NOTIFY_H
#define KERNEL_NOTIFY_H

#include <stdint.h>

#include "kernel/config.h"
#include "lib/list.h"

struct notification {
    unsigned refs; /* 0: a free slot */
    int alive;
    uint64_t bits;
    struct list_node waiters; /* threads in notify_wait, oldest first */
};

/* E_NOSPC when every notification is in use. The caller holds one reference.
 * Takes the kernel lock itself; ref and unref need it held, and never
 * switch threads. */
int notify_create(struct notification **out);
void notify_ref(struct notification *n);
/* Dropping the last reference wakes every waiter with E_DEAD and frees the slot. */
void notify_unref(struct notification *n);

/* The operations take the kernel lock themselves. */

/* ORs bits in; the oldest waiter (if any) wakes with all pending bits. */
int notify_signal(struct notification *n, uint64_t bits);

/* The same with the kernel lock held, and no preemption point: for a
 * system call (whose end is one) and an interrupt handler (where there is
 * none). */
void notify_signal_locked(struct notification *n, uint64_t bits);

/* Returns the pending bits (> 0) and clears them, blocking while there are none.
 * A bits value with the top bit set cannot be returned (it would read as an
 * error), so bit 63 is not usable. */
int64_t notify_wait(struct notification *n);

/* The same with the kernel lock held (a system call). */
int64_t notify_wait_locked(struct notification *n);

/* How many notifications are in use. */
unsigned notify_count(void);

#endif
