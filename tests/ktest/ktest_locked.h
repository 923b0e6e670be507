/*
 * KTEST_LOCKED: a ktest case that holds the kernel lock for its whole run.
 *
 * The frame allocator, page tables, user memory, handle tables and kernel
 * stacks are shared kernel state: every function that touches them checks
 * for the kernel lock (include/kernel/klock.h). The cases that call them
 * directly hold the lock as any other caller must.
 */
#ifndef TESTS_KTEST_LOCKED_H
#define TESTS_KTEST_LOCKED_H

#include "kernel/klock.h"
#include "lib/ktest.h"

#define KTEST_LOCKED(suite, name)                                                                  \
    static void ktest_locked_##suite##_##name(struct ktest *t);                                    \
    KTEST(suite, name)                                                                             \
    {                                                                                              \
        unsigned long klock_flags_ = klock_acquire();                                              \
        ktest_locked_##suite##_##name(t);                                                          \
        klock_release(klock_flags_);                                                               \
    }                                                                                              \
    static void ktest_locked_##suite##_##name(struct ktest *t)

#endif
