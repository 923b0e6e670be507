/*
 * The architecture's inline half of include/hal/user.h: the system call
 * registers in a saved trap frame. They are on every system call's path,
 * so they are static inline here rather than calls through the HAL door.
 */
#ifndef ARCH_HAL_USER_H
#define ARCH_HAL_USER_H

#include <stdint.h>

#include "arch/trap_frame.h"

static inline uint64_t hal_syscall_reg(const struct trap_frame *tf, unsigned n)
{
    return n < 8 ? tf->x[n] : 0;
}

static inline void hal_syscall_set_reg(struct trap_frame *tf, unsigned n, uint64_t value)
{
    if (n < 8) {
        tf->x[n] = value;
    }
}

static inline void hal_user_set_pc(struct trap_frame *tf, uint64_t pc)
{
    tf->elr = pc;
}

static inline void hal_syscall_copy_message(const struct trap_frame *from, struct trap_frame *to,
                                            uint64_t info, uint64_t badge)
{
    to->x[1] = info;
    to->x[2] = from->x[2];
    to->x[3] = from->x[3];
    to->x[4] = from->x[4];
    to->x[5] = from->x[5];
    to->x[6] = badge;
}

static inline void hal_syscall_clear_message_tail(struct trap_frame *to, unsigned words)
{
    for (unsigned i = words; i < 4; i++) {
        to->x[2 + i] = 0;
    }
}

#endif
