/*
 * Tests for lib/fdt.c: the QEMU machine's own device tree, hand-built trees
 * for every lookup, and broken blobs that must be rejected with E_BADFMT.
 * A seeded fuzz loop flips random bytes; on the host, ASan turns any read
 * outside the blob into a failure.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dtb_builder.h"
#include "kernel/platform.h"
#include "lib/errors.h"
#include "lib/fdt.h"
#include "lib/ktest.h"
#include "lib/string.h"

static struct dtb_builder builder;

/* The node's name at path, or the error's name ("E_NOENT"), for one-line checks. */
static const char *name_at(const struct fdt *fdt, const char *path)
{
    int node = fdt_find_node(fdt, path);
    return node >= 0 ? fdt_node_name(fdt, node) : error_name(node);
}

/*
 * The sample tree used by most cases:
 *
 *   /memreserve/ 0x48000000 0x1000;  /memreserve/ 0x49000000 0x2000;
 *   / { #address-cells = <2>; #size-cells = <2>; compatible = "test,board", "test,generic";
 *       chosen { bootargs = "console=ttyAMA0"; stdout-path = "/soc/uart@1000:115200"; };
 *       memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x8000000>; };
 *       soc { #address-cells = <1>; #size-cells = <1>;
 *             uarts { compatible = "abc", "de" without its NUL; };
 *             uart@1000 { compatible = "arm,pl011", "arm,primecell"; reg = <0x1000 0x100>;
 *                         interrupts = <0 1 4>; status = "okay"; };
 *             uart@2000 { compatible = "arm,pl011"; reg = <0x2000 0x100 0x3000 0x200>;
 *                         status = "disabled"; };
 *             bad-reg { reg = <1 2 3>; }; };
 *       defaults { dev { reg = <0 0x10 0x20>; }; };
 *       wide { #address-cells = <3>; child { reg = <0 0 1 2>; }; };
 *       cpus { #address-cells = <1>; #size-cells = <0>; cpu@1 { reg = <1>; }; };
 *       psci { method = "hvc"; };
 *       intc@8000000 { compatible = "arm,cortex-a15-gic";
 *                      reg = <0 0x8000000 0 0x10000 0 0x8010000 0 0x10000>; };
 *       timer { compatible = "arm,armv8-timer"; interrupts = <1 13 4 1 14 4 1 11 4 1 10 4>; };
 *       reserved-memory { #address-cells = <2>; #size-cells = <2>;
 *                         fw@4f000000 { reg = <0 0x4f000000 0 0x100000>; }; }; };
 *
 * NOP tokens are sprinkled in, as a tree edited in place may have them.
 */
static uint32_t build_sample(struct dtb_builder *b)
{
    static const uint32_t mem_reg[] = {0, 0x40000000, 0, 0x8000000};
    static const uint32_t uart1_reg[] = {0x1000, 0x100};
    static const uint32_t uart1_irq[] = {0, 1, 4};
    static const uint32_t uart2_reg[] = {0x2000, 0x100, 0x3000, 0x200};
    static const uint32_t bad_reg[] = {1, 2, 3};
    static const uint32_t dev_reg[] = {0, 0x10, 0x20};
    static const uint32_t wide_reg[] = {0, 0, 1, 2};
    static const uint32_t gic_reg[] = {0, 0x8000000, 0, 0x10000, 0, 0x8010000, 0, 0x10000};
    static const uint32_t timer_irqs[] = {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4};
    static const uint32_t fw_reg[] = {0, 0x4f000000, 0, 0x100000};

    dtb_begin(b);
    dtb_add_memreserve(b, 0x48000000, 0x1000);
    dtb_add_memreserve(b, 0x49000000, 0x2000);
    dtb_begin_node(b, "");
    dtb_prop_u32(b, "#address-cells", 2);
    dtb_prop_u32(b, "#size-cells", 2);
    dtb_prop(b, "compatible", "test,board\0test,generic", sizeof("test,board\0test,generic"));

    dtb_begin_node(b, "chosen");
    dtb_prop_string(b, "bootargs", "console=ttyAMA0");
    dtb_token(b, FDT_NOP);
    dtb_prop_string(b, "stdout-path", "/soc/uart@1000:115200");
    dtb_end_node(b);
    dtb_token(b, FDT_NOP);

    dtb_begin_node(b, "memory@40000000");
    dtb_prop_string(b, "device_type", "memory");
    dtb_prop_cells(b, "reg", mem_reg, 4);
    dtb_end_node(b);

    dtb_begin_node(b, "soc");
    dtb_prop_u32(b, "#address-cells", 1);
    dtb_prop_u32(b, "#size-cells", 1);
    dtb_begin_node(b, "uarts");
    dtb_prop(b, "compatible", "abc\0de", 6);
    dtb_end_node(b);
    dtb_begin_node(b, "uart@1000");
    dtb_prop(b, "compatible", "arm,pl011\0arm,primecell", sizeof("arm,pl011\0arm,primecell"));
    dtb_prop_cells(b, "reg", uart1_reg, 2);
    dtb_prop_cells(b, "interrupts", uart1_irq, 3);
    dtb_prop_string(b, "status", "okay");
    dtb_end_node(b);
    dtb_begin_node(b, "uart@2000");
    dtb_prop_string(b, "compatible", "arm,pl011");
    dtb_prop_cells(b, "reg", uart2_reg, 4);
    dtb_prop_string(b, "status", "disabled");
    dtb_end_node(b);
    dtb_begin_node(b, "bad-reg");
    dtb_prop_cells(b, "reg", bad_reg, 3);
    dtb_end_node(b);
    dtb_end_node(b);

    dtb_begin_node(b, "defaults");
    dtb_begin_node(b, "dev");
    dtb_prop_cells(b, "reg", dev_reg, 3);
    dtb_end_node(b);
    dtb_end_node(b);

    dtb_begin_node(b, "wide");
    dtb_prop_u32(b, "#address-cells", 3);
    dtb_begin_node(b, "child");
    dtb_prop_cells(b, "reg", wide_reg, 4);
    dtb_end_node(b);
    dtb_end_node(b);

    dtb_begin_node(b, "cpus");
    dtb_prop_u32(b, "#address-cells", 1);
    dtb_prop_u32(b, "#size-cells", 0);
    dtb_begin_node(b, "cpu@1");
    dtb_prop_u32(b, "reg", 1);
    dtb_end_node(b);
    dtb_end_node(b);

    dtb_begin_node(b, "psci");
    dtb_prop_string(b, "method", "hvc");
    dtb_end_node(b);

    dtb_begin_node(b, "intc@8000000");
    dtb_prop_string(b, "compatible", "arm,cortex-a15-gic");
    dtb_prop_cells(b, "reg", gic_reg, 8);
    dtb_end_node(b);

    dtb_begin_node(b, "timer");
    dtb_prop_string(b, "compatible", "arm,armv8-timer");
    dtb_prop_cells(b, "interrupts", timer_irqs, 12);
    dtb_end_node(b);

    dtb_begin_node(b, "reserved-memory");
    dtb_prop_u32(b, "#address-cells", 2);
    dtb_prop_u32(b, "#size-cells", 2);
    dtb_begin_node(b, "fw@4f000000");
    dtb_prop_cells(b, "reg", fw_reg, 4);
    dtb_end_node(b);
    dtb_end_node(b);

    dtb_end_node(b);
    return dtb_finish(b);
}

#define SAMPLE_NODE_COUNT 19

/* Builds the sample tree into builder and opens it, failing the case if that does not work. */
static bool open_sample(struct ktest *t, struct fdt *fdt)
{
    uint32_t size = build_sample(&builder);

    KTEST_EXPECT_NE(t, size, 0);
    return size != 0 && KTEST_EXPECT_EQ(t, fdt_init(fdt, builder.blob, size), 0);
}

/* fdt_init() of the sample tree after setting one header field. */
static int init_sample_with_header(unsigned field, uint32_t value)
{
    struct fdt fdt;
    uint32_t size = build_sample(&builder);

    dtb_set_header(&builder, field, value);
    return fdt_init(&fdt, builder.blob, size);
}

/*
 * A root node with one property; *prop is the property's structure block
 * offset (token, then length at +4 and name offset at +8).
 */
static uint32_t build_one_prop(uint32_t *prop)
{
    dtb_begin(&builder);
    dtb_begin_node(&builder, "");
    *prop = builder.struct_len;
    dtb_prop_u32(&builder, "x", 1);
    dtb_end_node(&builder);
    return dtb_finish(&builder);
}

/* fdt_init() of whatever the builder holds, size bytes of it. */
static int init_builder(uint32_t size)
{
    struct fdt fdt;
    return fdt_init(&fdt, builder.blob, size);
}

KTEST(fdt, real_dtb_nodes)
{
    struct fdt fdt;
    uint64_t base = 0;
    uint64_t size = 0;
    size_t dtb_size;
    const uint8_t *dtb = dtb_env_blob(t, &dtb_size);

    if (!dtb) {
        return;
    }
    KTEST_ASSERT_EQ(t, fdt_init(&fdt, dtb, dtb_size), 0);
    KTEST_EXPECT_STREQ(t, fdt_node_name(&fdt, fdt_root_node(&fdt)), "");
    KTEST_EXPECT_TRUE(t, fdt_find_node(&fdt, "/chosen") >= 0);
    KTEST_EXPECT_TRUE(t, fdt_find_node(&fdt, "/cpus") >= 0);

    int memory = fdt_find_node(&fdt, "/memory");
    KTEST_EXPECT_EQ(t, fdt_get_reg(&fdt, memory, 0, &base, &size), 0);
    KTEST_EXPECT_EQ(t, base, 0x40000000);
    KTEST_EXPECT_NE(t, size, 0);

    /* With secure=on a disabled secure pl011 comes first: follow stdout-path instead. */
    const char *stdout_path = fdt_prop_string(&fdt, fdt_find_node(&fdt, "/chosen"), "stdout-path");
    KTEST_ASSERT_TRUE(t, stdout_path != NULL);
    int uart = fdt_find_node(&fdt, stdout_path);
    KTEST_EXPECT_TRUE(t, fdt_node_is_compatible(&fdt, uart, "arm,pl011"));
    KTEST_EXPECT_EQ(t, fdt_get_reg(&fdt, uart, 0, &base, &size), 0);
    KTEST_EXPECT_EQ(t, base, 0x09000000);
    KTEST_EXPECT_TRUE(t, fdt_node_is_compatible(&fdt, uart, "arm,primecell"));

    /* A full walk meets every node once and ends with E_NOENT, nothing else. */
    int depth = 0;
    int nodes = 0;
    int node = fdt_root_node(&fdt);
    for (; node >= 0; node = fdt_next_node(&fdt, node, &depth)) {
        nodes++;
    }
    KTEST_EXPECT_EQ(t, node, E_NOENT);
    KTEST_EXPECT_TRUE(t, nodes > 10);
}

KTEST(fdt, real_dtb_truncated)
{
    struct fdt fdt;
    size_t dtb_size;
    const uint8_t *dtb = dtb_env_blob(t, &dtb_size);

    if (!dtb) {
        return;
    }
    KTEST_EXPECT_EQ(t, fdt_init(&fdt, dtb, 16), E_BADFMT);
    KTEST_EXPECT_EQ(t, fdt_init(&fdt, dtb, 256), E_BADFMT);
    KTEST_EXPECT_EQ(t, fdt_init(&fdt, dtb, dtb_size - 1), E_BADFMT);
    KTEST_EXPECT_EQ(t, fdt_init(NULL, dtb, dtb_size), E_INVAL);
    KTEST_EXPECT_EQ(t, fdt_init(&fdt, NULL, dtb_size), E_INVAL);
}

KTEST(fdt, find_node_paths)
{
    struct fdt fdt;

    if (!open_sample(t, &fdt)) {
        return;
    }
    KTEST_EXPECT_EQ(t, fdt_find_node(&fdt, "/"), fdt_root_node(&fdt));
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/chosen"), "chosen");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/memory"), "memory@40000000");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/memory@40000000"), "memory@40000000");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/memory@4"), "E_NOENT");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/memory@400000000"), "E_NOENT");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/soc/uart"), "uart@1000");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/soc/uart@2000"), "uart@2000");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/soc/uar"), "E_NOENT");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/soc/uarts"), "uarts");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/soc//uart@1000/"), "uart@1000");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/soc/uart@1000:115200"), "uart@1000");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/defaults/dev"), "dev");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/dev"), "E_NOENT");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "/nothing/here"), "E_NOENT");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, "chosen"), "E_NOENT");
    KTEST_EXPECT_STREQ(t, name_at(&fdt, ""), "E_NOENT");
}

KTEST(fdt, walk_children_and_parents)
{
    static const char *const root_children[] = {
        "chosen", "memory@40000000", "soc",   "defaults",        "wide", "cpus",
        "psci",   "intc@8000000",    "timer", "reserved-memory",
    };
    struct fdt fdt;
    unsigned count = 0;

    if (!open_sample(t, &fdt)) {
        return;
    }
    int root = fdt_root_node(&fdt);
    int node = fdt_first_child(&fdt, root);
    for (; node >= 0 && count < 10; node = fdt_next_sibling(&fdt, node)) {
        KTEST_EXPECT_STREQ(t, fdt_node_name(&fdt, node), root_children[count]);
        KTEST_EXPECT_EQ(t, fdt_parent_node(&fdt, node), root);
        count++;
    }
    KTEST_EXPECT_EQ(t, count, 10);
    KTEST_EXPECT_EQ(t, node, E_NOENT);

    int soc = fdt_find_node(&fdt, "/soc");
    int uart = fdt_find_node(&fdt, "/soc/uart@2000");
    KTEST_EXPECT_EQ(t, fdt_parent_node(&fdt, uart), soc);
    KTEST_EXPECT_STREQ(t, fdt_node_name(&fdt, fdt_first_child(&fdt, soc)), "uarts");
    KTEST_EXPECT_STREQ(t, fdt_node_name(&fdt, fdt_next_sibling(&fdt, uart)), "bad-reg");
    KTEST_EXPECT_EQ(t, fdt_first_child(&fdt, fdt_find_node(&fdt, "/psci")), E_NOENT);
    KTEST_EXPECT_EQ(t, fdt_next_sibling(&fdt, fdt_find_node(&fdt, "/soc/bad-reg")), E_NOENT);
    KTEST_EXPECT_EQ(t, fdt_parent_node(&fdt, root), E_NOENT);

    /* Depth-first order with depths relative to the root. */
    int depth = 0;
    int max_depth = 0;
    unsigned nodes = 0;
    for (node = root; node >= 0; node = fdt_next_node(&fdt, node, &depth)) {
        nodes++;
        max_depth = depth > max_depth ? depth : max_depth;
    }
    KTEST_EXPECT_EQ(t, node, E_NOENT);
    KTEST_EXPECT_EQ(t, nodes, SAMPLE_NODE_COUNT);
    KTEST_EXPECT_EQ(t, max_depth, 2);
}

KTEST(fdt, bad_node_handles)
{
    struct fdt fdt;
    int depth = 0;
    int len = 0;

    if (!open_sample(t, &fdt)) {
        return;
    }
    int not_a_node = fdt_root_node(&fdt) + 8; /* the first property's token */
    KTEST_EXPECT_TRUE(t, fdt_node_name(&fdt, not_a_node) == NULL);
    KTEST_EXPECT_TRUE(t, fdt_node_name(&fdt, 2) == NULL);
    KTEST_EXPECT_TRUE(t, fdt_node_name(&fdt, -1) == NULL);
    KTEST_EXPECT_TRUE(t, fdt_node_name(&fdt, 0x7ffffffc) == NULL);
    KTEST_EXPECT_TRUE(t, fdt_get_prop(&fdt, not_a_node, "reg", &len) == NULL);
    KTEST_EXPECT_EQ(t, len, E_INVAL);
    KTEST_EXPECT_EQ(t, fdt_next_node(&fdt, not_a_node, &depth), E_INVAL);
    KTEST_EXPECT_EQ(t, fdt_parent_node(&fdt, not_a_node), E_INVAL);
    KTEST_EXPECT_EQ(t, fdt_first_child(&fdt, E_NOENT), E_INVAL);
}

KTEST(fdt, properties)
{
    struct fdt fdt;
    uint32_t value = 0;
    uint64_t cells = 0;
    int len = 0;

    if (!open_sample(t, &fdt)) {
        return;
    }
    int chosen = fdt_find_node(&fdt, "/chosen");
    const char *args = fdt_get_prop(&fdt, chosen, "bootargs", &len);
    KTEST_EXPECT_EQ(t, len, sizeof("console=ttyAMA0"));
    KTEST_EXPECT_STREQ(t, args, "console=ttyAMA0");
    KTEST_EXPECT_STREQ(t, fdt_prop_string(&fdt, chosen, "stdout-path"), "/soc/uart@1000:115200");
    KTEST_EXPECT_TRUE(t, fdt_get_prop(&fdt, chosen, "missing", &len) == NULL);
    KTEST_EXPECT_EQ(t, len, E_NOENT);
    /* A property of a child is not a property of its parent. */
    KTEST_EXPECT_TRUE(t, fdt_get_prop(&fdt, fdt_root_node(&fdt), "bootargs", NULL) == NULL);
    /* A string list, or one whose last string lacks its NUL, is not a string. */
    int uart = fdt_find_node(&fdt, "/soc/uart@1000");
    KTEST_EXPECT_TRUE(t, fdt_prop_string(&fdt, uart, "compatible") == NULL);
    int uarts = fdt_find_node(&fdt, "/soc/uarts");
    KTEST_EXPECT_TRUE(t, fdt_prop_string(&fdt, uarts, "compatible") == NULL);
    KTEST_EXPECT_STREQ(t, fdt_prop_string(&fdt, uart, "status"), "okay");

    int soc = fdt_find_node(&fdt, "/soc");
    KTEST_EXPECT_EQ(t, fdt_prop_u32(&fdt, soc, "#address-cells", &value), 0);
    KTEST_EXPECT_EQ(t, value, 1);
    KTEST_EXPECT_EQ(t, fdt_prop_u32(&fdt, chosen, "bootargs", &value), E_BADFMT);
    KTEST_EXPECT_EQ(t, fdt_prop_u32(&fdt, chosen, "missing", &value), E_NOENT);

    int memory = fdt_find_node(&fdt, "/memory");
    KTEST_EXPECT_EQ(t, fdt_prop_cells(&fdt, memory, "reg", 1, 1, &cells), 0);
    KTEST_EXPECT_EQ(t, cells, 0x40000000);
    KTEST_EXPECT_EQ(t, fdt_prop_cells(&fdt, memory, "reg", 2, 2, &cells), 0);
    KTEST_EXPECT_EQ(t, cells, 0x8000000);
    KTEST_EXPECT_EQ(t, fdt_prop_cells(&fdt, memory, "reg", 3, 1, &cells), 0);
    KTEST_EXPECT_EQ(t, cells, 0x8000000);
    KTEST_EXPECT_EQ(t, fdt_prop_cells(&fdt, memory, "reg", 3, 2, &cells), E_NOENT);
    KTEST_EXPECT_EQ(t, fdt_prop_cells(&fdt, memory, "reg", 4, 1, &cells), E_NOENT);
    KTEST_EXPECT_EQ(t, fdt_prop_cells(&fdt, memory, "reg", 0, 3, &cells), E_INVAL);
    KTEST_EXPECT_EQ(t, fdt_prop_cells(&fdt, memory, "reg", -1, 1, &cells), E_INVAL);
    KTEST_EXPECT_EQ(t, fdt_prop_cells(&fdt, memory, "device_type", 0, 1, &cells), E_BADFMT);
}

KTEST(fdt, reg_and_cell_sizes)
{
    struct fdt fdt;
    uint64_t base = 0;
    uint64_t size = 0;
    int ac = 0;
    int sc = 0;

    if (!open_sample(t, &fdt)) {
        return;
    }
    /* 2 + 2 cells from the root. */
    int memory = fdt_find_node(&fdt, "/memory");
    KTEST_EXPECT_EQ(t, fdt_get_reg_cells(&fdt, memory, &ac, &sc), 0);
    KTEST_EXPECT_EQ(t, ac, 2);
    KTEST_EXPECT_EQ(t, sc, 2);
    KTEST_EXPECT_EQ(t, fdt_get_reg(&fdt, memory, 0, &base, &size), 0);
    KTEST_EXPECT_EQ(t, base, 0x40000000);
    KTEST_EXPECT_EQ(t, size, 0x8000000);
    KTEST_EXPECT_EQ(t, fdt_get_reg(&fdt, memory, 1, &base, &size), E_NOENT);

    /* 1 + 1 cells from /soc, two entries. */
    int uart = fdt_find_node(&fdt, "/soc/uart@2000");
    KTEST_EXPECT_EQ(t, fdt_get_reg(&fdt, uart, 1, &base, &size), 0);
    KTEST_EXPECT_EQ(t, base, 0x3000);
    KTEST_EXPECT_EQ(t, size, 0x200);
    KTEST_EXPECT_EQ(t, fdt_get_reg(&fdt, uart, 0, &base, &size), 0);
    KTEST_EXPECT_EQ(t, base, 0x2000);
    KTEST_EXPECT_EQ(t, size, 0x100);
    KTEST_EXPECT_EQ(t, fdt_get_reg(&fdt, uart, 2, &base, &size), E_NOENT);
    KTEST_EXPECT_EQ(t, fdt_get_reg(&fdt, uart, -1, &base, &size), E_NOENT);

    /* Three cells do not make whole 1 + 1 entries. */
    int bad = fdt_find_node(&fdt, "/soc/bad-reg");
    KTEST_EXPECT_EQ(t, fdt_get_reg(&fdt, bad, 0, &base, &size), E_BADFMT);

    /* A parent without #address-cells / #size-cells means 2 and 1. */
    int dev = fdt_find_node(&fdt, "/defaults/dev");
    KTEST_EXPECT_EQ(t, fdt_get_reg_cells(&fdt, dev, &ac, &sc), 0);
    KTEST_EXPECT_EQ(t, ac, 2);
    KTEST_EXPECT_EQ(t, sc, 1);
    KTEST_EXPECT_EQ(t, fdt_get_reg(&fdt, dev, 0, &base, &size), 0);
    KTEST_EXPECT_EQ(t, base, 0x10);
    KTEST_EXPECT_EQ(t, size, 0x20);

    /* #size-cells = <0>, as under /cpus. */
    int cpu = fdt_find_node(&fdt, "/cpus/cpu@1");
    KTEST_EXPECT_EQ(t, fdt_get_reg(&fdt, cpu, 0, &base, &size), 0);
    KTEST_EXPECT_EQ(t, base, 1);
    KTEST_EXPECT_EQ(t, size, 0);

    /* Addresses wider than 64 bits, no reg at all, and the root. */
    int child = fdt_find_node(&fdt, "/wide/child");
    KTEST_EXPECT_EQ(t, fdt_get_reg(&fdt, child, 0, &base, &size), E_RANGE);
    KTEST_EXPECT_EQ(t, fdt_get_reg(&fdt, fdt_find_node(&fdt, "/chosen"), 0, &base, &size), E_NOENT);
    KTEST_EXPECT_EQ(t, fdt_get_reg_cells(&fdt, fdt_root_node(&fdt), &ac, &sc), E_INVAL);
}

KTEST(fdt, compatible_lists)
{
    struct fdt fdt;

    if (!open_sample(t, &fdt)) {
        return;
    }
    int uart = fdt_find_node(&fdt, "/soc/uart@1000");
    KTEST_EXPECT_TRUE(t, fdt_node_is_compatible(&fdt, uart, "arm,pl011"));
    KTEST_EXPECT_TRUE(t, fdt_node_is_compatible(&fdt, uart, "arm,primecell"));
    KTEST_EXPECT_FALSE(t, fdt_node_is_compatible(&fdt, uart, "arm,pl01"));
    KTEST_EXPECT_FALSE(t, fdt_node_is_compatible(&fdt, uart, "arm,pl0111"));
    KTEST_EXPECT_FALSE(t, fdt_node_is_compatible(&fdt, uart, "arm"));
    KTEST_EXPECT_FALSE(t, fdt_node_is_compatible(&fdt, uart, ""));
    KTEST_EXPECT_TRUE(t, fdt_node_is_compatible(&fdt, fdt_root_node(&fdt), "test,generic"));
    KTEST_EXPECT_FALSE(t, fdt_node_is_compatible(&fdt, fdt_find_node(&fdt, "/chosen"), "x"));

    /* "abc\0de" without a final NUL: "abc" is whole, "de" is cut off. */
    int uarts = fdt_find_node(&fdt, "/soc/uarts");
    KTEST_EXPECT_TRUE(t, fdt_node_is_compatible(&fdt, uarts, "abc"));
    KTEST_EXPECT_FALSE(t, fdt_node_is_compatible(&fdt, uarts, "de"));

    int first = fdt_first_compatible(&fdt, "arm,pl011");
    int second = fdt_next_compatible(&fdt, first, "arm,pl011");
    KTEST_EXPECT_STREQ(t, fdt_node_name(&fdt, first), "uart@1000");
    KTEST_EXPECT_STREQ(t, fdt_node_name(&fdt, second), "uart@2000");
    KTEST_EXPECT_EQ(t, fdt_next_compatible(&fdt, second, "arm,pl011"), E_NOENT);
    KTEST_EXPECT_EQ(t, fdt_first_compatible(&fdt, "test,board"), fdt_root_node(&fdt));
    KTEST_EXPECT_EQ(t, fdt_first_compatible(&fdt, "no,such"), E_NOENT);

    KTEST_EXPECT_TRUE(t, fdt_node_is_enabled(&fdt, first));
    KTEST_EXPECT_FALSE(t, fdt_node_is_enabled(&fdt, second));
    KTEST_EXPECT_TRUE(t, fdt_node_is_enabled(&fdt, fdt_find_node(&fdt, "/chosen")));
}

KTEST(fdt, memreserve_entries)
{
    struct fdt fdt;
    uint64_t base = 0;
    uint64_t size = 0;

    if (!open_sample(t, &fdt)) {
        return;
    }
    KTEST_EXPECT_EQ(t, fdt_get_memreserve(&fdt, 0, &base, &size), 0);
    KTEST_EXPECT_EQ(t, base, 0x48000000);
    KTEST_EXPECT_EQ(t, size, 0x1000);
    KTEST_EXPECT_EQ(t, fdt_get_memreserve(&fdt, 1, &base, &size), 0);
    KTEST_EXPECT_EQ(t, base, 0x49000000);
    KTEST_EXPECT_EQ(t, size, 0x2000);
    KTEST_EXPECT_EQ(t, fdt_get_memreserve(&fdt, 2, &base, &size), E_NOENT);
    KTEST_EXPECT_EQ(t, fdt_get_memreserve(&fdt, -1, &base, &size), E_INVAL);
}

KTEST(fdt, rejects_bad_header)
{
    uint32_t size = build_sample(&builder);

    KTEST_ASSERT_TRUE(t, size != 0);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_MAGIC, 0xedfe0dd0), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_VERSION, 16), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_LAST_COMP, 18), E_BADFMT);
    /* totalsize beyond the buffer, below the header, or just one byte short. */
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_TOTALSIZE, size + 4), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_TOTALSIZE, 0xffffffff), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_TOTALSIZE, 8), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_TOTALSIZE, size - 1), E_BADFMT);
    build_sample(&builder);
    KTEST_EXPECT_EQ(t, init_builder(size - 1), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_builder(FDT_HEADER_SIZE - 1), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_builder(size), 0);
}

KTEST(fdt, rejects_blocks_outside)
{
    uint32_t size = build_sample(&builder);
    uint32_t struct_off = dtb_header(&builder, FDT_HDR_OFF_STRUCT);
    uint32_t struct_size = dtb_header(&builder, FDT_HDR_SIZE_STRUCT);
    uint32_t strings_size = dtb_header(&builder, FDT_HDR_SIZE_STRINGS);

    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_OFF_STRUCT, size), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_OFF_STRUCT, 0xfffffff0), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_SIZE_STRUCT, 0xfffffffc), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_SIZE_STRUCT, size), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_OFF_STRINGS, size - strings_size + 1),
                    E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_SIZE_STRINGS, strings_size + 1), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_OFF_RSVMAP, size), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_OFF_RSVMAP, size - 8), E_BADFMT);
    /* Overlapping the header, each other, or misaligned. */
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_OFF_STRUCT, 0), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_OFF_STRINGS, 36), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_OFF_RSVMAP, 0), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_OFF_STRINGS, struct_off + 4), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_OFF_STRUCT, struct_off + 2), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_OFF_RSVMAP, FDT_HEADER_SIZE + 4), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_SIZE_STRUCT, struct_size - 2), E_BADFMT);
    /* A structure block cut short loses its FDT_END. */
    KTEST_EXPECT_EQ(t, init_sample_with_header(FDT_HDR_SIZE_STRUCT, struct_size - 4), E_BADFMT);
}

/*
 * Blobs that would read sensibly despite a bad header field, so that only
 * the check for that very field can reject them.
 */
KTEST(fdt, rejects_misplaced_blocks)
{
    uint32_t prop;
    uint32_t size;

    /* Strings inside the header: bytes 24.. (last_comp_version 16) start with a NUL. */
    size = build_one_prop(&prop);
    dtb_set_header(&builder, FDT_HDR_OFF_STRINGS, 24);
    KTEST_EXPECT_EQ(t, init_builder(size), E_BADFMT);

    /* size_dt_struct not a multiple of 4, though FDT_END is still inside it. */
    dtb_begin(&builder);
    dtb_begin_node(&builder, "");
    dtb_end_node(&builder);
    dtb_token(&builder, FDT_END);
    dtb_token(&builder, FDT_NOP);
    size = dtb_finish_blob(&builder, false);
    KTEST_ASSERT_EQ(t, init_builder(size), 0);
    dtb_set_header(&builder, FDT_HDR_SIZE_STRUCT, dtb_header(&builder, FDT_HDR_SIZE_STRUCT) - 2);
    KTEST_EXPECT_EQ(t, init_builder(size), E_BADFMT);

    /*
     * The reservation map 4 bytes off its 8-byte alignment. Read from there,
     * entry 1's zero low base word and zero size plus the terminator's first
     * word would pass for a terminator.
     */
    dtb_begin(&builder);
    dtb_add_memreserve(&builder, 0x1000, 0x1000);
    dtb_add_memreserve(&builder, 0x100000000, 0);
    dtb_begin_node(&builder, "");
    dtb_end_node(&builder);
    size = dtb_finish(&builder);
    KTEST_ASSERT_EQ(t, init_builder(size), 0);
    dtb_set_header(&builder, FDT_HDR_OFF_RSVMAP, FDT_HEADER_SIZE + 4);
    KTEST_EXPECT_EQ(t, init_builder(size), E_BADFMT);
}

KTEST(fdt, rejects_bad_property)
{
    uint32_t prop;
    uint32_t size = build_one_prop(&prop);

    KTEST_ASSERT_EQ(t, init_builder(size), 0);
    /* Value length running past the structure block, also by wrapping around. */
    dtb_put_be32(dtb_struct_at(&builder, prop + 4), 0x1000);
    KTEST_EXPECT_EQ(t, init_builder(size), E_BADFMT);
    dtb_put_be32(dtb_struct_at(&builder, prop + 4), 0xfffffffe);
    KTEST_EXPECT_EQ(t, init_builder(size), E_BADFMT);

    /* Name offset at or past the end of the strings block. */
    size = build_one_prop(&prop);
    dtb_put_be32(dtb_struct_at(&builder, prop + 8), 2);
    KTEST_EXPECT_EQ(t, init_builder(size), E_BADFMT);
    dtb_put_be32(dtb_struct_at(&builder, prop + 8), 0xffffffff);
    KTEST_EXPECT_EQ(t, init_builder(size), E_BADFMT);

    /* The name "x" loses its NUL: overwritten, or cut off by a smaller block. */
    size = build_one_prop(&prop);
    builder.blob[dtb_header(&builder, FDT_HDR_OFF_STRINGS) + 1] = 'y';
    KTEST_EXPECT_EQ(t, init_builder(size), E_BADFMT);
    size = build_one_prop(&prop);
    dtb_set_header(&builder, FDT_HDR_SIZE_STRINGS, 1);
    KTEST_EXPECT_EQ(t, init_builder(size), E_BADFMT);

    /* A property header cut off by the end of the structure block. */
    dtb_begin(&builder);
    dtb_begin_node(&builder, "");
    dtb_end_node(&builder);
    dtb_token(&builder, FDT_END);
    dtb_token(&builder, FDT_PROP);
    dtb_token(&builder, 0);
    size = dtb_finish_blob(&builder, false);
    KTEST_EXPECT_EQ(t, init_builder(size), 0); /* FDT_END comes first: the rest is not read */
    dtb_begin(&builder);
    dtb_begin_node(&builder, "");
    dtb_token(&builder, FDT_PROP);
    dtb_token(&builder, 0);
    size = dtb_finish_blob(&builder, false);
    KTEST_EXPECT_EQ(t, init_builder(size), E_BADFMT);
}

KTEST(fdt, rejects_unterminated_node_name)
{
    dtb_begin(&builder);
    dtb_begin_node(&builder, "");
    dtb_token(&builder, FDT_BEGIN_NODE);
    dtb_raw(&builder, "abcd", 4); /* no NUL before the block ends */
    KTEST_EXPECT_EQ(t, init_builder(dtb_finish_blob(&builder, false)), E_BADFMT);
}

KTEST(fdt, rejects_bad_structure)
{
    /* No FDT_END. */
    dtb_begin(&builder);
    dtb_begin_node(&builder, "");
    dtb_end_node(&builder);
    KTEST_EXPECT_EQ(t, init_builder(dtb_finish_blob(&builder, false)), E_BADFMT);

    /* FDT_END inside the root. */
    dtb_begin(&builder);
    dtb_begin_node(&builder, "");
    KTEST_EXPECT_EQ(t, init_builder(dtb_finish(&builder)), E_BADFMT);

    /* A stray END_NODE before the root. */
    dtb_begin(&builder);
    dtb_end_node(&builder);
    dtb_begin_node(&builder, "");
    dtb_begin_node(&builder, "a");
    dtb_end_node(&builder);
    KTEST_EXPECT_EQ(t, init_builder(dtb_finish(&builder)), E_BADFMT);

    /* One END_NODE too many. */
    dtb_begin(&builder);
    dtb_begin_node(&builder, "");
    dtb_begin_node(&builder, "a");
    dtb_end_node(&builder);
    dtb_end_node(&builder);
    dtb_end_node(&builder);
    KTEST_EXPECT_EQ(t, init_builder(dtb_finish(&builder)), E_BADFMT);

    /* Two roots; a property after the root; an empty structure block. */
    dtb_begin(&builder);
    dtb_begin_node(&builder, "");
    dtb_end_node(&builder);
    dtb_begin_node(&builder, "");
    dtb_end_node(&builder);
    KTEST_EXPECT_EQ(t, init_builder(dtb_finish(&builder)), E_BADFMT);
    dtb_begin(&builder);
    dtb_begin_node(&builder, "");
    dtb_end_node(&builder);
    dtb_prop_u32(&builder, "x", 1);
    KTEST_EXPECT_EQ(t, init_builder(dtb_finish(&builder)), E_BADFMT);
    dtb_begin(&builder);
    KTEST_EXPECT_EQ(t, init_builder(dtb_finish(&builder)), E_BADFMT);

    /* Unknown tokens: 0, 5 (the old FDT_..., never valid here) and 0xffffffff. */
    static const uint32_t bad_tokens[] = {0, 5, 7, 0xffffffff};
    for (unsigned i = 0; i < 4; i++) {
        dtb_begin(&builder);
        dtb_begin_node(&builder, "");
        dtb_token(&builder, bad_tokens[i]);
        dtb_end_node(&builder);
        KTEST_EXPECT_EQ(t, init_builder(dtb_finish(&builder)), E_BADFMT);
    }
}

/* A chain of levels nested nodes, each named "n". */
static uint32_t build_nested(unsigned levels)
{
    dtb_begin(&builder);
    dtb_begin_node(&builder, "");
    for (unsigned i = 1; i < levels; i++) {
        dtb_begin_node(&builder, "n");
    }
    for (unsigned i = 0; i < levels; i++) {
        dtb_end_node(&builder);
    }
    return dtb_finish(&builder);
}

KTEST(fdt, nesting_limit)
{
    struct fdt fdt;
    uint32_t size = build_nested(FDT_MAX_DEPTH);

    KTEST_ASSERT_EQ(t, fdt_init(&fdt, builder.blob, size), 0);
    /* The deepest node: 31 levels below the root, and its parent chain intact. */
    int deepest =
        fdt_find_node(&fdt, "/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n");
    KTEST_EXPECT_TRUE(t, deepest >= 0);
    KTEST_EXPECT_EQ(t, fdt_first_child(&fdt, deepest), E_NOENT);
    int up = 0;
    for (int node = deepest; node != fdt_root_node(&fdt) && up < 64; up++) {
        node = fdt_parent_node(&fdt, node);
    }
    KTEST_EXPECT_EQ(t, up, FDT_MAX_DEPTH - 1);

    KTEST_EXPECT_EQ(t, init_builder(build_nested(FDT_MAX_DEPTH + 1)), E_BADFMT);
    KTEST_EXPECT_EQ(t, init_builder(build_nested(200)), E_BADFMT);
}

/*
 * The seeded fuzz loop. The mutated blob sits at the very end of a static
 * buffer, so on the host a read even one byte past it hits ASan's redzone.
 */
#define FUZZ_ITERATIONS 2000

static uint8_t fuzz_buf[DTB_BLOB_MAX];
static struct boot_info fuzz_bi;

/* Uses every accessor on every node; returns the number of nodes, or an error. */
static int fuzz_walk(const void *blob, uint32_t size)
{
    struct fdt fdt;
    uint64_t base, len;
    uint32_t value;
    int depth = 0;
    int nodes = 0;
    int err = fdt_init(&fdt, blob, size);

    if (err < 0) {
        return err;
    }
    int node = fdt_root_node(&fdt);
    for (; node >= 0 && (uint32_t)nodes <= size / 4; node = fdt_next_node(&fdt, node, &depth)) {
        nodes++;
        (void)fdt_node_name(&fdt, node);
        (void)fdt_prop_string(&fdt, node, "device_type");
        (void)fdt_prop_u32(&fdt, node, "#address-cells", &value);
        (void)fdt_prop_cells(&fdt, node, "interrupts", 1, 2, &base);
        (void)fdt_get_reg(&fdt, node, 1, &base, &len);
        (void)fdt_node_is_compatible(&fdt, node, "arm,pl011");
        (void)fdt_node_is_enabled(&fdt, node);
        (void)fdt_first_child(&fdt, node);
        (void)fdt_next_sibling(&fdt, node);
        (void)fdt_parent_node(&fdt, node);
    }
    for (int i = 0; fdt_get_memreserve(&fdt, i, &base, &len) == 0; i++) {
    }
    (void)fdt_find_node(&fdt, "/soc/uart@1000/x");
    return node == E_NOENT ? nodes : node;
}

static bool is_known_error(int err)
{
    return err < 0 && strcmp(error_name(err), "E_?") != 0;
}

KTEST(fdt, random_corruption)
{
    uint32_t size = build_sample(&builder);
    uint8_t *blob = fuzz_buf + sizeof(fuzz_buf) - size;
    uint64_t seed = 0x5eed0f17d7ULL;
    unsigned parsed = 0;

    KTEST_ASSERT_TRUE(t, size != 0);
    memcpy(blob, builder.blob, size);
    KTEST_ASSERT_EQ(t, fuzz_walk(blob, size), SAMPLE_NODE_COUNT);
    KTEST_ASSERT_EQ(t, platform_parse_dtb(blob, size, &fuzz_bi), 0);

    for (unsigned i = 0; i < FUZZ_ITERATIONS; i++) {
        memcpy(blob, builder.blob, size);
        unsigned flips = 1 + (unsigned)(ktest_rand(&seed) % 4);
        for (unsigned f = 0; f < flips; f++) {
            uint64_t r = ktest_rand(&seed);
            blob[r % size] ^= (uint8_t)(1 + (r >> 32) % 255);
        }
        int walked = fuzz_walk(blob, size);
        int err = platform_parse_dtb(blob, size, &fuzz_bi);
        if (!KTEST_EXPECT_TRUE(t, walked >= 0 || is_known_error(walked)) ||
            !KTEST_EXPECT_TRUE(t, err == 0 || is_known_error(err))) {
            ktest_fail(t, __FILE__, __LINE__, "iteration %u: walk %d, parse %d", i, walked, err);
            return;
        }
        parsed += err == 0;
    }
    /* Most flips hit values, not structure: the parser must be reached, not just the header. */
    KTEST_EXPECT_TRUE(t, parsed > FUZZ_ITERATIONS / 10);
}
