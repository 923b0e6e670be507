/*
 * QEMU virt's inline half of include/hal/irq.h: the interrupt controller
 * operations every interrupt makes (acknowledge, end, mask, unmask,
 * raise). The controller is a GICv2 (drivers/gicv2.h); the rest of the
 * HAL's irq calls are in platform/qemu-virt/irq.c.
 */
#ifndef PLATFORM_HAL_IRQ_H
#define PLATFORM_HAL_IRQ_H

#include <stdint.h>

#include "drivers/gicv2.h"

extern struct gicv2 platform_gic;

static inline void hal_irq_enable(uint32_t irq)
{
    gicv2_enable(&platform_gic, irq);
}

static inline void hal_irq_disable(uint32_t irq)
{
    gicv2_disable(&platform_gic, irq);
}

static inline void hal_irq_raise(uint32_t irq)
{
    gicv2_set_pending(&platform_gic, irq);
}

static inline uint32_t hal_irq_acknowledge(void)
{
    uint32_t irq = gicv2_acknowledge(&platform_gic);

    return irq == GIC_SPURIOUS ? HAL_IRQ_NONE : irq;
}

static inline void hal_irq_eoi(uint32_t irq)
{
    gicv2_eoi(&platform_gic, irq);
}

#endif
