/*
 * The GICv2 driver against a fake register file: plain memory standing in
 * for the distributor and CPU interface, so the register arithmetic (which
 * word, which bits) is checked anywhere, without an interrupt controller.
 */
#include "drivers/gicv2.h"
#include "lib/ktest.h"
#include "lib/string.h"

static uint32_t fake_gicd[0x1000 / 4];
static uint32_t fake_gicc[0x100 / 4];

static struct gicv2 *fake_gic(void)
{
    static struct gicv2 gic;

    memset(fake_gicd, 0, sizeof(fake_gicd));
    memset(fake_gicc, 0, sizeof(fake_gicc));
    fake_gicd[0x004 / 4] = 2; /* GICD_TYPER: ITLinesNumber 2 -> 96 interrupts */
    gicv2_init(&gic, fake_gicd, fake_gicc);
    return &gic;
}

KTEST(gicv2, init_programs_both_halves)
{
    struct gicv2 *gic = fake_gic();

    KTEST_EXPECT_EQ(t, gic->lines, 96);
    KTEST_EXPECT_EQ(t, fake_gicd[0x000 / 4], 1);          /* GICD_CTLR: on */
    KTEST_EXPECT_EQ(t, fake_gicc[0x000 / 4], 1);          /* GICC_CTLR: on */
    KTEST_EXPECT_EQ(t, fake_gicc[0x004 / 4], 0xf0);       /* GICC_PMR */
    KTEST_EXPECT_EQ(t, fake_gicd[0x180 / 4], 0xffffffff); /* ICENABLER0: all disabled */
    KTEST_EXPECT_EQ(t, fake_gicd[0x188 / 4], 0xffffffff); /* ICENABLER2 */
    /* IPRIORITYR: one byte each, default 0xa0; ITARGETSR of SPIs: CPU 0. */
    KTEST_EXPECT_EQ(t, fake_gicd[(0x400 + 40) / 4], 0xa0a0a0a0);
    KTEST_EXPECT_EQ(t, fake_gicd[(0x800 + 32) / 4], 0x01010101);
}

KTEST(gicv2, per_interrupt_fields)
{
    struct gicv2 *gic = fake_gic();

    fake_gicd[0x100 / 4 + 1] = 0;
    gicv2_enable(gic, 33);
    KTEST_EXPECT_EQ(t, fake_gicd[0x100 / 4 + 1], 1u << 1); /* ISENABLER1 bit 1 */
    gicv2_disable(gic, 63);
    KTEST_EXPECT_EQ(t, fake_gicd[0x180 / 4 + 1], 1u << 31);
    gicv2_set_priority(gic, 42, 0x40);
    KTEST_EXPECT_EQ(t, fake_gicd[(0x400 + 40) / 4], 0xa040a0a0); /* byte 2: bits 23..16 */
    gicv2_set_target(gic, 35, 0x2);
    KTEST_EXPECT_EQ(t, fake_gicd[(0x800 + 32) / 4], 0x02010101);
    gicv2_set_target(gic, 27, 0x2); /* a PPI: its target is fixed, nothing changes */
    KTEST_EXPECT_EQ(t, fake_gicd[(0x800 + 24) / 4], 0);
    gicv2_set_edge(gic, 33, 1);
    KTEST_EXPECT_EQ(t, fake_gicd[0xc00 / 4 + 2], 2u << 2); /* ICFGR2, field 1, upper bit */
    gicv2_set_edge(gic, 33, 0);
    KTEST_EXPECT_EQ(t, fake_gicd[0xc00 / 4 + 2], 0);
    gicv2_set_pending(gic, 70);
    KTEST_EXPECT_EQ(t, fake_gicd[0x200 / 4 + 2], 1u << 6);
}

KTEST(gicv2, acknowledge_and_spurious)
{
    struct gicv2 *gic = fake_gic();

    fake_gicc[0x00c / 4] = (1u << 10) | 27; /* IAR: CPU id bits above the INTID */
    KTEST_EXPECT_EQ(t, gicv2_acknowledge(gic), 27);
    KTEST_EXPECT_EQ(t, gic->spurious, 0);
    gicv2_eoi(gic, 27);
    KTEST_EXPECT_EQ(t, fake_gicc[0x010 / 4], 27);
    fake_gicc[0x00c / 4] = 1023;
    KTEST_EXPECT_EQ(t, gicv2_acknowledge(gic), GIC_SPURIOUS);
    KTEST_EXPECT_EQ(t, gicv2_acknowledge(gic), GIC_SPURIOUS);
    KTEST_EXPECT_EQ(t, gic->spurious, 2);
}
