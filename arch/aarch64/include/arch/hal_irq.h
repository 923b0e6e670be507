/*
 * The architecture's inline half of include/hal/irq.h: the CPU's interrupt
 * mask, which every check of the kernel lock reads and every klock_acquire
 * and klock_release sets.
 */
#ifndef ARCH_HAL_IRQ_H
#define ARCH_HAL_IRQ_H

#include <stdbool.h>

#include "arch/sysreg.h"

/* DAIF.I: IRQs masked. */
#define DAIF_I (1u << 7)

static inline bool hal_irq_local_enabled(void)
{
    return (sysreg_read_daif() & DAIF_I) == 0;
}

static inline unsigned long hal_irq_save(void)
{
    unsigned long daif = sysreg_read_daif();

    __asm__ volatile("msr daifset, #2" ::: "memory");
    return daif;
}

static inline void hal_irq_restore(unsigned long state)
{
    __asm__ volatile("msr daif, %0" ::"r"(state) : "memory");
}

static inline void hal_irq_local_enable(void)
{
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}

#endif
