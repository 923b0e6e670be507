/* QEMU virt's interrupt controller is a GICv2: the HAL's irq calls go to it (the
 * ones on every interrupt's path inline: platform/hal_irq.h). */
#include "drivers/gicv2.h"
#include "hal/irq.h"
#include "hal/memory.h"
#include "kernel/boot_info.h"

struct gicv2 platform_gic;

void hal_irq_init(const struct boot_info *bi)
{
    gicv2_init(&platform_gic, hal_phys_to_virt(bi->gicd_base), hal_phys_to_virt(bi->gicc_base));
}

void hal_irq_set_priority(uint32_t irq, uint8_t priority)
{
    gicv2_set_priority(&platform_gic, irq, priority);
}

void hal_irq_set_target(uint32_t irq, uint8_t cpu_mask)
{
    gicv2_set_target(&platform_gic, irq, cpu_mask);
}

void hal_irq_set_trigger(uint32_t irq, enum irq_trigger trigger)
{
    gicv2_set_edge(&platform_gic, irq, trigger == IRQ_TRIGGER_EDGE);
}

uint64_t hal_irq_spurious_count(void)
{
    return platform_gic.spurious;
}
