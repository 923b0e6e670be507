/*
 * GICv2 driver (ARM IHI 0048B, chapter 4 has the register map). Registers
 * are 32 bits wide; many are arrays with one bit, two bits or one byte per
 * interrupt, so each access computes which word and which bits.
 */
#include "drivers/gicv2.h"

/* Distributor registers (byte offsets; the ones the interrupt path uses
 * are in drivers/gicv2.h). */
#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_ICPENDR    0x280
#define GICD_ICACTIVER  0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICD_ICFGR      0xc00

/* CPU interface registers. */
#define GICC_CTLR 0x000
#define GICC_PMR  0x004
#define GICC_BPR  0x008

#define GIC_DEFAULT_PRIORITY 0xa0
/* Interrupts with priority values below this reach the CPU. */
#define GIC_PRIORITY_MASK    0xf0

static uint32_t gicd_read(struct gicv2 *gic, unsigned offset)
{
    return gic->gicd[offset / 4];
}

static void gicd_write(struct gicv2 *gic, unsigned offset, uint32_t value)
{
    gic->gicd[offset / 4] = value;
}

static void gicc_write(struct gicv2 *gic, unsigned offset, uint32_t value)
{
    gic->gicc[offset / 4] = value;
}

/* Read-modify-write of a field of `width` bits for irq in an array register. */
static void gicd_set_field(struct gicv2 *gic, unsigned base, uint32_t irq, unsigned width,
                           uint32_t value)
{
    unsigned per_word = 32 / width;
    unsigned offset = base + (irq / per_word) * 4;
    unsigned shift = (irq % per_word) * width;
    uint32_t mask = ((1u << width) - 1) << shift;

    gicd_write(gic, offset, (gicd_read(gic, offset) & ~mask) | ((value << shift) & mask));
}

void gicv2_init_cpu(struct gicv2 *gic)
{
    gicc_write(gic, GICC_PMR, GIC_PRIORITY_MASK);
    gicc_write(gic, GICC_BPR, 0); /* all priority bits decide preemption */
    gicc_write(gic, GICC_CTLR, 1);
}

void gicv2_init(struct gicv2 *gic, void *gicd, void *gicc)
{
    gic->gicd = gicd;
    gic->gicc = gicc;
    gic->spurious = 0;
    gic->lines = 32 * ((gicd_read(gic, GICD_TYPER) & 0x1f) + 1);

    gicd_write(gic, GICD_CTLR, 0);
    for (uint32_t irq = 0; irq < gic->lines; irq += 32) {
        gicd_write(gic, GICD_ICENABLER + irq / 8, 0xffffffff);
        gicd_write(gic, GICD_ICPENDR + irq / 8, 0xffffffff);
        gicd_write(gic, GICD_ICACTIVER + irq / 8, 0xffffffff);
    }
    for (uint32_t irq = 0; irq < gic->lines; irq++) {
        gicd_set_field(gic, GICD_IPRIORITYR, irq, 8, GIC_DEFAULT_PRIORITY);
        if (irq >= 32) {
            /* SPIs: deliver to CPU 0, level-triggered until a driver says otherwise. */
            gicd_set_field(gic, GICD_ITARGETSR, irq, 8, 1);
            gicd_set_field(gic, GICD_ICFGR, irq, 2, 0);
        }
    }
    gicd_write(gic, GICD_CTLR, 1);
    gicv2_init_cpu(gic);
}

void gicv2_set_priority(struct gicv2 *gic, uint32_t irq, uint8_t priority)
{
    gicd_set_field(gic, GICD_IPRIORITYR, irq, 8, priority);
}

void gicv2_set_target(struct gicv2 *gic, uint32_t irq, uint8_t cpu_mask)
{
    if (irq >= 32) { /* SGI and PPI targets are fixed: read-only */
        gicd_set_field(gic, GICD_ITARGETSR, irq, 8, cpu_mask);
    }
}

void gicv2_set_edge(struct gicv2 *gic, uint32_t irq, int edge)
{
    /* ICFGR has two bits per interrupt; the upper one selects edge (1) or level (0). */
    gicd_set_field(gic, GICD_ICFGR, irq, 2, edge ? 2 : 0);
}
