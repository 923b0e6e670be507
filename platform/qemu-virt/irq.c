/* QEMU virt's interrupt controller is a GICv2: the HAL's irq calls go to it. */
#include "drivers/gicv2.h"
#include "hal/irq.h"
#include "hal/memory.h"
#include "kernel/boot_info.h"

static struct gicv2 gic;

void hal_irq_init(const struct boot_info *bi)
{
    gicv2_init(&gic, hal_phys_to_virt(bi->gicd_base), hal_phys_to_virt(bi->gicc_base));
}

void hal_irq_enable(uint32_t irq)
{
    gicv2_enable(&gic, irq);
}

void hal_irq_disable(uint32_t irq)
{
    gicv2_disable(&gic, irq);
}

void hal_irq_set_priority(uint32_t irq, uint8_t priority)
{
    gicv2_set_priority(&gic, irq, priority);
}

void hal_irq_set_target(uint32_t irq, uint8_t cpu_mask)
{
    gicv2_set_target(&gic, irq, cpu_mask);
}

void hal_irq_set_trigger(uint32_t irq, enum irq_trigger trigger)
{
    gicv2_set_edge(&gic, irq, trigger == IRQ_TRIGGER_EDGE);
}

void hal_irq_raise(uint32_t irq)
{
    gicv2_set_pending(&gic, irq);
}

uint32_t hal_irq_acknowledge(void)
{
    uint32_t irq = gicv2_acknowledge(&gic);

    return irq == GIC_SPURIOUS ? HAL_IRQ_NONE : irq;
}

void hal_irq_eoi(uint32_t irq)
{
    gicv2_eoi(&gic, irq);
}

uint64_t hal_irq_spurious_count(void)
{
    return gic.spurious;
}
