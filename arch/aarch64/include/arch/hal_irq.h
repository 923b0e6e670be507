/*
 * The architecture's inline half of include/hal/irq.h: reading the CPU's
 * interrupt mask, which every check of the kernel lock does.
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

#endif
