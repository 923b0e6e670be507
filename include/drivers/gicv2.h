/*
 * The ARM Generic Interrupt Controller, version 2 (ARM IHI 0048B): a
 * distributor (GICD) shared by all CPUs, which decides which interrupts are
 * enabled, how urgent they are and which CPU gets them, and one CPU
 * interface (GICC) per CPU, through which a CPU acknowledges and ends them.
 *
 * Interrupt numbers (INTIDs): 0-15 SGIs (software, between CPUs), 16-31
 * PPIs (private to each CPU, like its timer), 32-1019 SPIs (shared
 * devices, like the UART), 1020-1023 special: an acknowledge that returns
 * one of them found nothing to deliver (1023, "spurious", on this GIC).
 */
#ifndef DRIVERS_GICV2_H
#define DRIVERS_GICV2_H

#include <stdint.h>

#define GIC_SPURIOUS 1023u

struct gicv2 {
    volatile uint32_t *gicd;
    volatile uint32_t *gicc;
    uint32_t lines;    /* how many INTIDs the distributor implements */
    uint64_t spurious; /* acknowledges that found nothing pending */
};

/* Resets the distributor (all interrupts disabled, default priority, CPU 0)
 * and this CPU's interface, then enables both. */
void gicv2_init(struct gicv2 *gic, void *gicd, void *gicc);

/* Sets up another CPU's interface (the distributor is shared). */
void gicv2_init_cpu(struct gicv2 *gic);

void gicv2_set_priority(struct gicv2 *gic, uint32_t irq, uint8_t priority);
void gicv2_set_target(struct gicv2 *gic, uint32_t irq, uint8_t cpu_mask);
void gicv2_set_edge(struct gicv2 *gic, uint32_t irq, int edge);

/*
 * The operations every interrupt makes (acknowledge, end, mask, unmask,
 * raise) are one register access each: inline. The registers they use, by
 * byte offset.
 */
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR   0x200
#define GICC_IAR       0x00c
#define GICC_EOIR      0x010

static inline void gicv2_enable(struct gicv2 *gic, uint32_t irq)
{
    gic->gicd[(GICD_ISENABLER + (irq / 32) * 4) / 4] = 1u << (irq % 32);
}

static inline void gicv2_disable(struct gicv2 *gic, uint32_t irq)
{
    gic->gicd[(GICD_ICENABLER + (irq / 32) * 4) / 4] = 1u << (irq % 32);
}

static inline void gicv2_set_pending(struct gicv2 *gic, uint32_t irq)
{
    gic->gicd[(GICD_ISPENDR + (irq / 32) * 4) / 4] = 1u << (irq % 32);
}

/* Reads GICC_IAR. Returns the INTID, or GIC_SPURIOUS (and counts it). */
static inline uint32_t gicv2_acknowledge(struct gicv2 *gic)
{
    uint32_t irq = gic->gicc[GICC_IAR / 4] & 0x3ff;

    if (irq >= 1020) {
        gic->spurious++;
        return GIC_SPURIOUS;
    }
    return irq;
}

/* Writes GICC_EOIR: the interrupt is no longer active. */
static inline void gicv2_eoi(struct gicv2 *gic, uint32_t irq)
{
    gic->gicc[GICC_EOIR / 4] = irq;
}

#endif
