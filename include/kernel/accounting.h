/*
 * The kernel's books: how many objects of every kind exist right now
 * (struct kernel_counts, include/uapi/syscall.h), for the tests that prove
 * an attack, a failure or a death left nothing behind.
 */
#ifndef KERNEL_ACCOUNTING_H
#define KERNEL_ACCOUNTING_H

#include <stdint.h>

#include "uapi/syscall.h"

/* Fills *c. Kernel lock held. */
void accounting_read(struct kernel_counts *c);

/* System calls since boot: kernel_syscall counts every one, inline. */
extern uint64_t accounting_syscalls;

static inline void accounting_count_syscall(void)
{
    accounting_syscalls++;
}

#endif
