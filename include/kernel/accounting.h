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

/* Counts one system call (kernel_syscall does, for every call). */
void accounting_count_syscall(void);

#endif
