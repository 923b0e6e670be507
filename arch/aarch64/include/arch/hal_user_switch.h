/*
 * The architecture's inline half of the switches to and from user threads
 * (include/hal/user.h): a few register moves and stores.
 */
#ifndef ARCH_HAL_USER_SWITCH_H
#define ARCH_HAL_USER_SWITCH_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/context.h"
#include "arch/trap_frame.h"

static inline void hal_user_set_thread_pointer(uint64_t value)
{
    /* TPIDRRO_EL0: read-only at EL0, so a thread cannot point it elsewhere. */
    __asm__ volatile("msr tpidrro_el0, %0" ::"r"(value));
}

static inline void hal_user_switch_tls(uint64_t *prev_value, uint64_t next_value)
{
    uint64_t value;

    /* TPIDR_EL0: EL0 reads and writes it at will, and the CPU has one. */
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(value));
    *prev_value = value;
    __asm__ volatile("msr tpidr_el0, %0" ::"r"(next_value));
}

/* Where a parked thread's context "returns" to (context_switch.S). */
void context_resume_parked(void);

static inline void hal_context_park(struct hal_context *ctx, struct trap_frame *frame)
{
    struct arch_context *c = (struct arch_context *)ctx->words;

    c->x30 = (uint64_t)(uintptr_t)context_resume_parked;
    c->sp = (uint64_t)(uintptr_t)frame;
}

static inline bool hal_context_is_parked(const struct hal_context *ctx)
{
    const struct arch_context *c = (const struct arch_context *)ctx->words;

    return c->x30 == (uint64_t)(uintptr_t)context_resume_parked;
}

#endif
