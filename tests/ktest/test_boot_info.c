/*
 * Tests for platform/qemu-virt/boot_info.c: the machine's own device tree
 * (only what holds for every QEMU virt configuration the tests boot with),
 * then hand-built trees with exact expectations for each boot_info field.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dtb_builder.h"
#include "kernel/boot_info.h"
#include "kernel/platform.h"
#include "lib/ktest.h"
#include "lib/string.h"
#include "uapi/errors.h"

#define MIB (1024ULL * 1024)

/* Both are about 8 KiB: static, never on the (small) kernel stack. */
static struct dtb_builder builder;
static struct boot_info bi;

/* Starts a tree: the root node with its #address-cells and #size-cells. */
static void begin_tree(uint32_t address_cells, uint32_t size_cells)
{
    dtb_begin(&builder);
    dtb_begin_node(&builder, "");
    dtb_prop_u32(&builder, "#address-cells", address_cells);
    dtb_prop_u32(&builder, "#size-cells", size_cells);
}

/* Closes the root node, lays out the blob and parses it into bi. */
static int parse_tree(void)
{
    dtb_end_node(&builder);
    uint32_t size = dtb_finish(&builder);
    if (size == 0) {
        return E_NOSPC; /* the builder overflowed: no test expects this */
    }
    return platform_parse_dtb(builder.blob, size, &bi);
}

/* A node with reg = <base size> in 2 + 2 cells, and an optional device_type. */
static void add_reg_node(const char *name, const char *type, uint64_t base, uint64_t size)
{
    uint32_t reg[4] = {(uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32),
                       (uint32_t)size};

    dtb_begin_node(&builder, name);
    if (type) {
        dtb_prop_string(&builder, "device_type", type);
    }
    dtb_prop_cells(&builder, "reg", reg, 4);
    dtb_end_node(&builder);
}

static void add_memory(const char *name, uint64_t base, uint64_t size)
{
    add_reg_node(name, "memory", base, size);
}

/* A pl011 under a 2 + 2 cell parent, with SPI spi and an optional status. */
static void add_pl011(const char *name, uint32_t base, uint32_t spi, const char *status)
{
    uint32_t reg[4] = {0, base, 0, 0x1000};
    uint32_t irq[3] = {0, spi, 4};

    dtb_begin_node(&builder, name);
    dtb_prop(&builder, "compatible", "arm,pl011\0arm,primecell",
             sizeof("arm,pl011\0arm,primecell"));
    dtb_prop_cells(&builder, "reg", reg, 4);
    dtb_prop_cells(&builder, "interrupts", irq, 3);
    if (status) {
        dtb_prop_string(&builder, "status", status);
    }
    dtb_end_node(&builder);
}

/* /chosen with the given properties (NULL leaves one out). */
static void add_chosen(const char *bootargs, const char *stdout_path)
{
    dtb_begin_node(&builder, "chosen");
    if (bootargs) {
        dtb_prop_string(&builder, "bootargs", bootargs);
    }
    if (stdout_path) {
        dtb_prop_string(&builder, "stdout-path", stdout_path);
    }
    dtb_end_node(&builder);
}

/* An "arm,armv8-timer" node with four interrupt specifiers. */
static void add_timer(const uint32_t irqs[12])
{
    dtb_begin_node(&builder, "timer");
    dtb_prop(&builder, "compatible", "arm,armv8-timer\0arm,armv7-timer",
             sizeof("arm,armv8-timer\0arm,armv7-timer"));
    dtb_prop_cells(&builder, "interrupts", irqs, 12);
    dtb_end_node(&builder);
}

/* Fields that belong to the caller get sentinels that parsing must leave alone. */
static void set_caller_fields(void)
{
    bi.kernel.base = 0x40080000;
    bi.kernel.size = 0x123000;
    bi.dtb.base = 0x44000000;
    bi.dtb.size = 0x100000;
    bi.entry_el = 2;
}

static void expect_caller_fields(struct ktest *t)
{
    KTEST_EXPECT_EQ(t, bi.kernel.base, 0x40080000);
    KTEST_EXPECT_EQ(t, bi.kernel.size, 0x123000);
    KTEST_EXPECT_EQ(t, bi.dtb.base, 0x44000000);
    KTEST_EXPECT_EQ(t, bi.dtb.size, 0x100000);
    KTEST_EXPECT_EQ(t, bi.entry_el, 2);
}

KTEST(boot_info, real_dtb)
{
    size_t size;
    const uint8_t *dtb = dtb_env_blob(t, &size);

    if (!dtb) {
        return;
    }
    set_caller_fields();
    KTEST_ASSERT_EQ(t, platform_parse_dtb(dtb, size, &bi), 0);
    expect_caller_fields(t);

    /* -m differs between runs: only the base and the granularity are fixed. */
    KTEST_ASSERT_TRUE(t, bi.ram_count >= 1);
    KTEST_EXPECT_EQ(t, bi.ram[0].base, 0x40000000);
    KTEST_EXPECT_TRUE(t, bi.ram[0].size >= 64 * MIB);
    KTEST_EXPECT_EQ(t, bi.ram[0].size % MIB, 0);

    KTEST_EXPECT_EQ(t, bi.uart_base, 0x09000000);
    KTEST_EXPECT_EQ(t, bi.uart_irq, 33);
    KTEST_EXPECT_EQ(t, bi.gicd_base, 0x08000000);
    KTEST_EXPECT_EQ(t, bi.gicc_base, 0x08010000);
    KTEST_EXPECT_EQ(t, bi.timer_irq_phys, 30);
    KTEST_EXPECT_EQ(t, bi.timer_irq_virt, 27);
    KTEST_EXPECT_TRUE(t, bi.cpu_count >= 1);
    KTEST_EXPECT_TRUE(t, strnlen(bi.cmdline, BOOT_CMDLINE_MAX) < BOOT_CMDLINE_MAX);
    /* HVC by default, SMC with virtualization=on, none with secure=on. */
    KTEST_EXPECT_TRUE(t, bi.psci == PSCI_CONDUIT_NONE || bi.psci == PSCI_CONDUIT_HVC ||
                             bi.psci == PSCI_CONDUIT_SMC);
}

KTEST(boot_info, full_tree)
{
    static const uint32_t timer_irqs[12] = {1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08, 1, 10, 0xf08};
    static const uint32_t gic_reg[8] = {0, 0x2f000000, 0, 0x10000, 0, 0x2c000000, 0, 0x2000};
    static const char *const cpu_names[3] = {"cpu@0", "cpu@1", "cpu@2"};

    begin_tree(2, 2);
    dtb_add_memreserve(&builder, 0x48000000, 0x10000);
    add_chosen("ktest quiet", "/uart@9040000:115200n8");
    add_memory("memory@40000000", 0x40000000, 512 * MIB);

    dtb_begin_node(&builder, "cpus");
    dtb_prop_u32(&builder, "#address-cells", 1);
    dtb_prop_u32(&builder, "#size-cells", 0);
    dtb_begin_node(&builder, "cpu-map");
    dtb_begin_node(&builder, "cluster0");
    dtb_end_node(&builder);
    dtb_end_node(&builder);
    for (uint32_t i = 0; i < 3; i++) {
        dtb_begin_node(&builder, cpu_names[i]);
        dtb_prop_string(&builder, "device_type", "cpu");
        dtb_prop_u32(&builder, "reg", i);
        dtb_end_node(&builder);
    }
    dtb_end_node(&builder);

    add_pl011("uart@9000000", 0x9000000, 1, NULL);
    add_pl011("uart@9040000", 0x9040000, 8, NULL);

    dtb_begin_node(&builder, "interrupt-controller@2f000000");
    dtb_prop_string(&builder, "compatible", "arm,gic-400");
    dtb_prop_cells(&builder, "reg", gic_reg, 8);
    dtb_end_node(&builder);

    add_timer(timer_irqs);

    dtb_begin_node(&builder, "psci");
    dtb_prop(&builder, "compatible", "arm,psci-1.0\0arm,psci-0.2",
             sizeof("arm,psci-1.0\0arm,psci-0.2"));
    dtb_prop_string(&builder, "method", "smc");
    dtb_end_node(&builder);

    dtb_begin_node(&builder, "reserved-memory");
    dtb_prop_u32(&builder, "#address-cells", 2);
    dtb_prop_u32(&builder, "#size-cells", 2);
    add_reg_node("secmon@4e000000", NULL, 0x4e000000, 0x200000);
    dtb_end_node(&builder);

    set_caller_fields();
    KTEST_ASSERT_EQ(t, parse_tree(), 0);
    expect_caller_fields(t);
    KTEST_EXPECT_EQ(t, bi.ram_count, 1);
    KTEST_EXPECT_EQ(t, bi.ram[0].base, 0x40000000);
    KTEST_EXPECT_EQ(t, bi.ram[0].size, 512 * MIB);
    KTEST_EXPECT_EQ(t, bi.reserved_count, 2);
    KTEST_EXPECT_EQ(t, bi.reserved[0].base, 0x48000000);
    KTEST_EXPECT_EQ(t, bi.reserved[0].size, 0x10000);
    KTEST_EXPECT_EQ(t, bi.reserved[1].base, 0x4e000000);
    KTEST_EXPECT_EQ(t, bi.reserved[1].size, 0x200000);
    KTEST_EXPECT_STREQ(t, bi.cmdline, "ktest quiet");
    KTEST_EXPECT_EQ(t, bi.cpu_count, 3);
    KTEST_EXPECT_EQ(t, bi.uart_base, 0x9040000); /* stdout-path wins over the first pl011 */
    KTEST_EXPECT_EQ(t, bi.uart_irq, 32 + 8);
    KTEST_EXPECT_EQ(t, bi.gicd_base, 0x2f000000);
    KTEST_EXPECT_EQ(t, bi.gicc_base, 0x2c000000);
    KTEST_EXPECT_EQ(t, bi.timer_irq_phys, 16 + 14);
    KTEST_EXPECT_EQ(t, bi.timer_irq_virt, 16 + 11);
    KTEST_EXPECT_EQ(t, bi.psci, PSCI_CONDUIT_SMC);
}

KTEST(boot_info, ram_sorted_and_filtered)
{
    static const uint32_t two_banks[8] = {0, 0xc0000000, 0, 0x10000000, 1, 0, 0, 0x40000000};

    begin_tree(2, 2);
    add_memory("memory@80000000", 0x80000000, 0x10000000);
    dtb_begin_node(&builder, "memory@c0000000");
    dtb_prop_string(&builder, "device_type", "memory");
    dtb_prop_cells(&builder, "reg", two_banks, 8);
    dtb_end_node(&builder);
    add_memory("memory@0", 0, 0);                    /* empty: skipped */
    add_reg_node("sram@10000", NULL, 0x10000, 4096); /* not memory */
    dtb_begin_node(&builder, "memory@20000000");     /* disabled: skipped */
    dtb_prop_string(&builder, "device_type", "memory");
    dtb_prop_cells(&builder, "reg", (const uint32_t[]){0, 0x20000000, 0, 0x1000000}, 4);
    dtb_prop_string(&builder, "status", "disabled");
    dtb_end_node(&builder);
    add_memory("memory@40000000", 0x40000000, 0x1000000);

    KTEST_ASSERT_EQ(t, parse_tree(), 0);
    KTEST_ASSERT_EQ(t, bi.ram_count, 4);
    KTEST_EXPECT_EQ(t, bi.ram[0].base, 0x40000000);
    KTEST_EXPECT_EQ(t, bi.ram[0].size, 0x1000000);
    KTEST_EXPECT_EQ(t, bi.ram[1].base, 0x80000000);
    KTEST_EXPECT_EQ(t, bi.ram[1].size, 0x10000000);
    KTEST_EXPECT_EQ(t, bi.ram[2].base, 0xc0000000);
    KTEST_EXPECT_EQ(t, bi.ram[2].size, 0x10000000);
    KTEST_EXPECT_EQ(t, bi.ram[3].base, 0x100000000);
    KTEST_EXPECT_EQ(t, bi.ram[3].size, 0x40000000);
}

KTEST(boot_info, one_cell_addresses)
{
    static const uint32_t banks[4] = {0x50000000, 0x1000000, 0x40000000, 0x2000000};
    static const uint32_t fw[2] = {0x40100000, 0x8000};

    begin_tree(1, 1);
    dtb_begin_node(&builder, "memory");
    dtb_prop_string(&builder, "device_type", "memory");
    dtb_prop_cells(&builder, "reg", banks, 4);
    dtb_end_node(&builder);
    dtb_begin_node(&builder, "reserved-memory");
    dtb_prop_u32(&builder, "#address-cells", 1);
    dtb_prop_u32(&builder, "#size-cells", 1);
    dtb_begin_node(&builder, "fw@40100000");
    dtb_prop_cells(&builder, "reg", fw, 2);
    dtb_end_node(&builder);
    dtb_end_node(&builder);

    KTEST_ASSERT_EQ(t, parse_tree(), 0);
    KTEST_ASSERT_EQ(t, bi.ram_count, 2);
    KTEST_EXPECT_EQ(t, bi.ram[0].base, 0x40000000);
    KTEST_EXPECT_EQ(t, bi.ram[0].size, 0x2000000);
    KTEST_EXPECT_EQ(t, bi.ram[1].base, 0x50000000);
    KTEST_EXPECT_EQ(t, bi.ram[1].size, 0x1000000);
    KTEST_ASSERT_EQ(t, bi.reserved_count, 1);
    KTEST_EXPECT_EQ(t, bi.reserved[0].base, 0x40100000);
    KTEST_EXPECT_EQ(t, bi.reserved[0].size, 0x8000);
}

/* A tree with count 16 MiB memory nodes, highest address first. */
static int parse_ram_banks(unsigned count)
{
    static const char *const names[] = {"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"};

    begin_tree(2, 2);
    for (unsigned i = count; i-- > 0;) {
        add_memory(names[i], 0x40000000 + i * 0x10000000ULL, 16 * MIB);
    }
    return parse_tree();
}

KTEST(boot_info, ram_limit)
{
    KTEST_ASSERT_EQ(t, parse_ram_banks(BOOT_MAX_RAM_RANGES), 0);
    KTEST_EXPECT_EQ(t, bi.ram_count, BOOT_MAX_RAM_RANGES);
    KTEST_EXPECT_EQ(t, bi.ram[0].base, 0x40000000);
    KTEST_EXPECT_EQ(t, bi.ram[BOOT_MAX_RAM_RANGES - 1].base, 0xb0000000);
    /* One more is an error, not silently lost memory. */
    KTEST_EXPECT_EQ(t, parse_ram_banks(BOOT_MAX_RAM_RANGES + 1), E_NOSPC);
}

KTEST(boot_info, no_ram)
{
    begin_tree(2, 2);
    add_reg_node("memory@40000000", NULL, 0x40000000, 16 * MIB); /* no device_type */
    KTEST_EXPECT_EQ(t, parse_tree(), E_NOENT);

    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 0);
    KTEST_EXPECT_EQ(t, parse_tree(), E_NOENT);
}

KTEST(boot_info, reserved_ranges)
{
    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    dtb_add_memreserve(&builder, 0x48000000, 0x1000);
    dtb_add_memreserve(&builder, 0x1000, 0); /* empty: skipped */
    dtb_add_memreserve(&builder, 0x41000000, 0x2000);
    dtb_begin_node(&builder, "reserved-memory");
    dtb_prop_u32(&builder, "#address-cells", 1);
    dtb_prop_u32(&builder, "#size-cells", 1);
    dtb_begin_node(&builder, "fw@44000000");
    dtb_prop_cells(&builder, "reg", (const uint32_t[]){0x44000000, 0x10000}, 2);
    dtb_end_node(&builder);
    dtb_begin_node(&builder, "pool"); /* dynamically placed: no reg, nothing fixed */
    dtb_prop_u32(&builder, "size", 0x100000);
    dtb_end_node(&builder);
    dtb_end_node(&builder);

    KTEST_ASSERT_EQ(t, parse_tree(), 0);
    KTEST_ASSERT_EQ(t, bi.reserved_count, 3);
    KTEST_EXPECT_EQ(t, bi.reserved[0].base, 0x41000000);
    KTEST_EXPECT_EQ(t, bi.reserved[0].size, 0x2000);
    KTEST_EXPECT_EQ(t, bi.reserved[1].base, 0x44000000);
    KTEST_EXPECT_EQ(t, bi.reserved[1].size, 0x10000);
    KTEST_EXPECT_EQ(t, bi.reserved[2].base, 0x48000000);
    KTEST_EXPECT_EQ(t, bi.reserved[2].size, 0x1000);
}

/* DTB_RSV_MAX /memreserve/ entries plus children more /reserved-memory nodes. */
static int parse_reservations(unsigned children)
{
    static const char *const names[] = {"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"};

    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    for (unsigned i = 0; i < DTB_RSV_MAX; i++) {
        dtb_add_memreserve(&builder, 0x40000000 + i * 0x10000ULL, 0x1000);
    }
    dtb_begin_node(&builder, "reserved-memory");
    dtb_prop_u32(&builder, "#address-cells", 2);
    dtb_prop_u32(&builder, "#size-cells", 2);
    for (unsigned i = 0; i < children; i++) {
        add_reg_node(names[i], NULL, 0x48000000 + i * 0x10000ULL, 0x1000);
    }
    dtb_end_node(&builder);
    return parse_tree();
}

KTEST(boot_info, reserved_limit)
{
    KTEST_ASSERT_EQ(t, parse_reservations(BOOT_MAX_RESERVED - DTB_RSV_MAX), 0);
    KTEST_EXPECT_EQ(t, bi.reserved_count, BOOT_MAX_RESERVED);
    KTEST_EXPECT_EQ(t, bi.reserved[BOOT_MAX_RESERVED - 1].base, 0x48070000);
    /* Dropping a reservation could hand firmware memory out: it is an error. */
    KTEST_EXPECT_EQ(t, parse_reservations(BOOT_MAX_RESERVED - DTB_RSV_MAX + 1), E_NOSPC);
}

KTEST(boot_info, cmdline)
{
    static char long_args[BOOT_CMDLINE_MAX + 100];

    /* No /chosen, and /chosen without bootargs, clear a stale command line. */
    memcpy(bi.cmdline, "stale", 6);
    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    KTEST_ASSERT_EQ(t, parse_tree(), 0);
    KTEST_EXPECT_STREQ(t, bi.cmdline, "");

    memcpy(bi.cmdline, "stale", 6);
    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    add_chosen(NULL, "/uart");
    KTEST_ASSERT_EQ(t, parse_tree(), 0);
    KTEST_EXPECT_STREQ(t, bi.cmdline, "");

    /* BOOT_CMDLINE_MAX - 1 characters fit; one more, or many more, are cut there. */
    static const size_t lengths[] = {BOOT_CMDLINE_MAX - 1, BOOT_CMDLINE_MAX, sizeof(long_args) - 1};
    for (unsigned i = 0; i < 3; i++) {
        memset(long_args, 'a', lengths[i]);
        long_args[lengths[i]] = '\0';
        long_args[BOOT_CMDLINE_MAX - 2] = 'z';
        begin_tree(2, 2);
        add_memory("memory@40000000", 0x40000000, 256 * MIB);
        add_chosen(long_args, NULL);
        KTEST_ASSERT_EQ(t, parse_tree(), 0);
        KTEST_EXPECT_EQ(t, strnlen(bi.cmdline, BOOT_CMDLINE_MAX), BOOT_CMDLINE_MAX - 1);
        KTEST_EXPECT_EQ(t, bi.cmdline[BOOT_CMDLINE_MAX - 2], 'z');
    }

    /* A value without its NUL still gives a terminated string. */
    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    dtb_begin_node(&builder, "chosen");
    dtb_prop(&builder, "bootargs", "abc", 3);
    dtb_end_node(&builder);
    KTEST_ASSERT_EQ(t, parse_tree(), 0);
    KTEST_EXPECT_STREQ(t, bi.cmdline, "abc");
}

KTEST(boot_info, uart_fallback)
{
    /* stdout-path names a virtio node: take the first enabled pl011. */
    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    add_chosen(NULL, "/virtio@a000000");
    add_reg_node("virtio@a000000", NULL, 0xa000000, 0x200);
    add_pl011("uart@9000000", 0x9000000, 1, "disabled");
    add_pl011("uart@9040000", 0x9040000, 8, "okay");
    add_pl011("uart@9050000", 0x9050000, 9, NULL);
    KTEST_ASSERT_EQ(t, parse_tree(), 0);
    KTEST_EXPECT_EQ(t, bi.uart_base, 0x9040000);
    KTEST_EXPECT_EQ(t, bi.uart_irq, 40);

    /* stdout-path names nothing, and no stdout-path at all: first pl011 ("ok" counts). */
    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    add_chosen(NULL, "/nope:115200");
    add_pl011("uart@9000000", 0x9000000, 1, "ok");
    KTEST_ASSERT_EQ(t, parse_tree(), 0);
    KTEST_EXPECT_EQ(t, bi.uart_base, 0x9000000);
    KTEST_EXPECT_EQ(t, bi.uart_irq, 33);

    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    add_pl011("uart@9000000", 0x9000000, 1, NULL);
    KTEST_ASSERT_EQ(t, parse_tree(), 0);
    KTEST_EXPECT_EQ(t, bi.uart_base, 0x9000000);

    /* No pl011: no console, not an error. */
    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    add_chosen(NULL, "/uart@9000000");
    KTEST_ASSERT_EQ(t, parse_tree(), 0);
    KTEST_EXPECT_EQ(t, bi.uart_base, 0);
    KTEST_EXPECT_EQ(t, bi.uart_irq, 0);
}

/* A tree with RAM and a /psci node whose method is method (NULL: none), or no /psci. */
static int parse_psci(bool node, const char *method)
{
    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    if (node) {
        dtb_begin_node(&builder, "psci");
        if (method) {
            dtb_prop_string(&builder, "method", method);
        }
        dtb_end_node(&builder);
    }
    return parse_tree();
}

KTEST(boot_info, psci_conduit)
{
    KTEST_ASSERT_EQ(t, parse_psci(true, "hvc"), 0);
    KTEST_EXPECT_EQ(t, bi.psci, PSCI_CONDUIT_HVC);
    KTEST_ASSERT_EQ(t, parse_psci(true, "smc"), 0);
    KTEST_EXPECT_EQ(t, bi.psci, PSCI_CONDUIT_SMC);
    KTEST_ASSERT_EQ(t, parse_psci(false, NULL), 0);
    KTEST_EXPECT_EQ(t, bi.psci, PSCI_CONDUIT_NONE);
    KTEST_EXPECT_EQ(t, parse_psci(true, "svc"), E_BADFMT);
    KTEST_EXPECT_EQ(t, parse_psci(true, NULL), E_BADFMT);
}

/* A tree with RAM and a timer with the given interrupts. */
static int parse_timer(const uint32_t irqs[12])
{
    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    add_timer(irqs);
    return parse_tree();
}

KTEST(boot_info, interrupt_numbers)
{
    static const uint32_t spi_and_ppi[12] = {0, 5, 4, 0, 987, 4, 1, 15, 4, 1, 0, 4};
    static const uint32_t bad_type[12] = {1, 13, 4, 2, 14, 4, 1, 11, 4, 1, 10, 4};
    static const uint32_t ppi_too_big[12] = {1, 13, 4, 1, 16, 4, 1, 11, 4, 1, 10, 4};
    static const uint32_t spi_too_big[12] = {1, 13, 4, 1, 14, 4, 0, 988, 4, 1, 10, 4};

    /* SPI n is INTID 32 + n (at most 1019), PPI n is 16 + n (n < 16). */
    KTEST_ASSERT_EQ(t, parse_timer(spi_and_ppi), 0);
    KTEST_EXPECT_EQ(t, bi.timer_irq_phys, 1019);
    KTEST_EXPECT_EQ(t, bi.timer_irq_virt, 31);
    KTEST_EXPECT_EQ(t, parse_timer(bad_type), E_BADFMT);
    KTEST_EXPECT_EQ(t, parse_timer(ppi_too_big), E_BADFMT);
    KTEST_EXPECT_EQ(t, parse_timer(spi_too_big), E_BADFMT);

    /* Two specifiers are too few: the virtual timer's is missing. */
    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    dtb_begin_node(&builder, "timer");
    dtb_prop_string(&builder, "compatible", "arm,armv8-timer");
    dtb_prop_cells(&builder, "interrupts", spi_and_ppi, 6);
    dtb_end_node(&builder);
    KTEST_EXPECT_EQ(t, parse_tree(), E_BADFMT);

    /* A console UART without interrupts. */
    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    dtb_begin_node(&builder, "uart@9000000");
    dtb_prop_string(&builder, "compatible", "arm,pl011");
    dtb_prop_cells(&builder, "reg", (const uint32_t[]){0, 0x9000000, 0, 0x1000}, 4);
    dtb_end_node(&builder);
    KTEST_EXPECT_EQ(t, parse_tree(), E_BADFMT);
}

KTEST(boot_info, gic)
{
    /* A GIC needs both the distributor and the CPU interface. */
    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    dtb_begin_node(&builder, "intc@8000000");
    dtb_prop_string(&builder, "compatible", "arm,cortex-a15-gic");
    dtb_prop_cells(&builder, "reg", (const uint32_t[]){0, 0x8000000, 0, 0x10000}, 4);
    dtb_end_node(&builder);
    KTEST_EXPECT_EQ(t, parse_tree(), E_BADFMT);

    /* No GIC, timer or CPUs: all zero, still a success. */
    bi.gicd_base = 1;
    bi.timer_irq_phys = 1;
    bi.cpu_count = 1;
    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    KTEST_ASSERT_EQ(t, parse_tree(), 0);
    KTEST_EXPECT_EQ(t, bi.gicd_base, 0);
    KTEST_EXPECT_EQ(t, bi.gicc_base, 0);
    KTEST_EXPECT_EQ(t, bi.timer_irq_phys, 0);
    KTEST_EXPECT_EQ(t, bi.timer_irq_virt, 0);
    KTEST_EXPECT_EQ(t, bi.cpu_count, 0);
    KTEST_EXPECT_EQ(t, bi.reserved_count, 0);
}

KTEST(boot_info, bad_arguments)
{
    size_t size;

    begin_tree(2, 2);
    add_memory("memory@40000000", 0x40000000, 256 * MIB);
    dtb_end_node(&builder);
    size = dtb_finish(&builder);
    KTEST_EXPECT_EQ(t, platform_parse_dtb(NULL, size, &bi), E_INVAL);
    KTEST_EXPECT_EQ(t, platform_parse_dtb(builder.blob, size, NULL), E_INVAL);
    KTEST_EXPECT_EQ(t, platform_parse_dtb(builder.blob, size - 4, &bi), E_BADFMT);
    KTEST_EXPECT_EQ(t, platform_parse_dtb(builder.blob, size, &bi), 0);
}
