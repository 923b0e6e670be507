/*
 * Turns the device tree QEMU hands the kernel into struct boot_info: RAM,
 * reserved memory, command line, CPUs, console UART, GIC, timer and PSCI.
 *
 * Plain portable C (no MMIO, no asm): the host tests run this very file on
 * QEMU-dumped and hand-built device trees.
 */
#include "kernel/platform.h"

#include "lib/fdt.h"
#include "lib/string.h"
#include "uapi/errors.h"

/* The GIC binding's interrupt specifier is <type number flags>. */
#define GIC_IRQ_CELLS    3
#define GIC_IRQ_TYPE_SPI 0
#define GIC_IRQ_TYPE_PPI 1
#define GIC_SPI_BASE     32
#define GIC_PPI_BASE     16
#define GIC_SPI_COUNT    988 /* INTIDs 32..1019 */
#define GIC_PPI_COUNT    16

/* Specifier numbers within the "arm,armv8-timer" interrupts. */
#define TIMER_IRQ_PHYS 1
#define TIMER_IRQ_VIRT 2

/* Adds [base, base + size) to a range array, keeping it sorted by base. */
static int add_range(struct mem_range *ranges, unsigned *count, unsigned max, uint64_t base,
                     uint64_t size)
{
    if (size == 0) {
        return 0;
    }
    if (base + (size - 1) < base) {
        return E_BADFMT; /* wraps past the top of the address space */
    }
    if (*count == max) {
        return E_NOSPC;
    }
    unsigned i = *count;
    for (; i > 0 && ranges[i - 1].base > base; i--) {
        ranges[i] = ranges[i - 1];
    }
    ranges[i].base = base;
    ranges[i].size = size;
    (*count)++;
    return 0;
}

/* Adds every entry of node's reg. */
static int add_reg_ranges(const struct fdt *fdt, int node, struct mem_range *ranges,
                          unsigned *count, unsigned max)
{
    uint64_t base, size;
    int err;

    for (int i = 0; (err = fdt_get_reg(fdt, node, i, &base, &size)) == 0; i++) {
        err = add_range(ranges, count, max, base, size);
        if (err < 0) {
            return err;
        }
    }
    return err == E_NOENT ? 0 : err;
}

/* Interrupt specifier index of node as a GIC INTID. */
static int read_irq(const struct fdt *fdt, int node, int index, uint32_t *intid)
{
    uint64_t type, number;
    int err = fdt_prop_cells(fdt, node, "interrupts", GIC_IRQ_CELLS * index, 1, &type);

    if (err == 0) {
        err = fdt_prop_cells(fdt, node, "interrupts", GIC_IRQ_CELLS * index + 1, 1, &number);
    }
    if (err < 0) {
        return err == E_NOENT ? E_BADFMT : err; /* the device needs this interrupt */
    }
    if (type == GIC_IRQ_TYPE_SPI && number < GIC_SPI_COUNT) {
        *intid = GIC_SPI_BASE + (uint32_t)number;
    } else if (type == GIC_IRQ_TYPE_PPI && number < GIC_PPI_COUNT) {
        *intid = GIC_PPI_BASE + (uint32_t)number;
    } else {
        return E_BADFMT;
    }
    return 0;
}

static bool has_device_type(const struct fdt *fdt, int node, const char *type)
{
    const char *value = fdt_prop_string(fdt, node, "device_type");
    return value && strcmp(value, type) == 0;
}

static int parse_memory(const struct fdt *fdt, struct boot_info *bi)
{
    int depth = 0;

    for (int node = fdt_root_node(fdt); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
        if (has_device_type(fdt, node, "memory") && fdt_node_is_enabled(fdt, node)) {
            int err = add_reg_ranges(fdt, node, bi->ram, &bi->ram_count, BOOT_MAX_RAM_RANGES);
            if (err < 0) {
                return err;
            }
        }
    }
    return bi->ram_count > 0 ? 0 : E_NOENT;
}

static int parse_reserved(const struct fdt *fdt, struct boot_info *bi)
{
    uint64_t base, size;
    int err;

    for (int i = 0; fdt_get_memreserve(fdt, i, &base, &size) == 0; i++) {
        err = add_range(bi->reserved, &bi->reserved_count, BOOT_MAX_RESERVED, base, size);
        if (err < 0) {
            return err;
        }
    }
    int parent = fdt_find_node(fdt, "/reserved-memory");
    if (parent < 0) {
        return 0;
    }
    /* Children without reg ask for a dynamic allocation; only fixed ones concern us. */
    for (int node = fdt_first_child(fdt, parent); node >= 0; node = fdt_next_sibling(fdt, node)) {
        err = add_reg_ranges(fdt, node, bi->reserved, &bi->reserved_count, BOOT_MAX_RESERVED);
        if (err < 0) {
            return err;
        }
    }
    return 0;
}

static int parse_cmdline(const struct fdt *fdt, struct boot_info *bi)
{
    int chosen = fdt_find_node(fdt, "/chosen");
    int len;

    if (chosen < 0) {
        return 0; /* no command line: cmdline stays "" */
    }
    const char *args = fdt_get_prop(fdt, chosen, "bootargs", &len);
    if (!args) {
        return 0;
    }
    /* strnlen also copes with a value that lacks its NUL. */
    size_t n = strnlen(args, (size_t)len);
    if (n > BOOT_CMDLINE_MAX - 1) {
        n = BOOT_CMDLINE_MAX - 1;
    }
    memcpy(bi->cmdline, args, n);
    bi->cmdline[n] = '\0';
    return 0;
}

static int parse_cpus(const struct fdt *fdt, struct boot_info *bi)
{
    int cpus = fdt_find_node(fdt, "/cpus");

    if (cpus < 0) {
        return 0;
    }
    /* /cpus also holds non-CPU children such as cpu-map. */
    for (int node = fdt_first_child(fdt, cpus); node >= 0; node = fdt_next_sibling(fdt, node)) {
        if (has_device_type(fdt, node, "cpu")) {
            bi->cpu_count++;
        }
    }
    return 0;
}

/* The node /chosen/stdout-path names if it is a pl011, else the first enabled pl011. */
static int find_console_uart(const struct fdt *fdt)
{
    int chosen = fdt_find_node(fdt, "/chosen");
    const char *path = chosen >= 0 ? fdt_prop_string(fdt, chosen, "stdout-path") : NULL;

    if (path) {
        int node = fdt_find_node(fdt, path); /* stops at a ":115200" options suffix */
        if (node >= 0 && fdt_node_is_compatible(fdt, node, "arm,pl011")) {
            return node;
        }
    }
    int node = fdt_first_compatible(fdt, "arm,pl011");
    while (node >= 0 && !fdt_node_is_enabled(fdt, node)) {
        node = fdt_next_compatible(fdt, node, "arm,pl011");
    }
    return node;
}

static int parse_uart(const struct fdt *fdt, struct boot_info *bi)
{
    int uart = find_console_uart(fdt);
    uint64_t size;

    if (uart < 0) {
        return 0;
    }
    int err = fdt_get_reg(fdt, uart, 0, &bi->uart_base, &size);
    if (err < 0) {
        return err == E_NOENT ? E_BADFMT : err;
    }
    return read_irq(fdt, uart, 0, &bi->uart_irq);
}

static int parse_gic(const struct fdt *fdt, struct boot_info *bi)
{
    int gic = fdt_first_compatible(fdt, "arm,cortex-a15-gic");
    uint64_t size;

    if (gic < 0) {
        gic = fdt_first_compatible(fdt, "arm,gic-400");
    }
    if (gic < 0) {
        return 0;
    }
    int err = fdt_get_reg(fdt, gic, 0, &bi->gicd_base, &size);
    if (err == 0) {
        err = fdt_get_reg(fdt, gic, 1, &bi->gicc_base, &size);
    }
    return err == E_NOENT ? E_BADFMT : err;
}

static int parse_timer(const struct fdt *fdt, struct boot_info *bi)
{
    int timer = fdt_first_compatible(fdt, "arm,armv8-timer");

    if (timer < 0) {
        return 0;
    }
    int err = read_irq(fdt, timer, TIMER_IRQ_PHYS, &bi->timer_irq_phys);
    if (err < 0) {
        return err;
    }
    return read_irq(fdt, timer, TIMER_IRQ_VIRT, &bi->timer_irq_virt);
}

static int parse_psci(const struct fdt *fdt, struct boot_info *bi)
{
    int psci = fdt_find_node(fdt, "/psci");

    if (psci < 0) {
        return 0; /* e.g. QEMU with secure=on: firmware in EL3 is ours to write */
    }
    const char *method = fdt_prop_string(fdt, psci, "method");
    if (method && strcmp(method, "hvc") == 0) {
        bi->psci = PSCI_CONDUIT_HVC;
    } else if (method && strcmp(method, "smc") == 0) {
        bi->psci = PSCI_CONDUIT_SMC;
    } else {
        return E_BADFMT;
    }
    return 0;
}

/* Resets the fields this file owns, so nothing stale survives a second parse. */
static void clear_parsed_fields(struct boot_info *bi)
{
    memset(bi->ram, 0, sizeof(bi->ram));
    bi->ram_count = 0;
    memset(bi->reserved, 0, sizeof(bi->reserved));
    bi->reserved_count = 0;
    bi->cmdline[0] = '\0';
    bi->cpu_count = 0;
    bi->uart_base = 0;
    bi->uart_irq = 0;
    bi->gicd_base = 0;
    bi->gicc_base = 0;
    bi->timer_irq_phys = 0;
    bi->timer_irq_virt = 0;
    bi->psci = PSCI_CONDUIT_NONE;
}

int platform_parse_dtb(const void *dtb, size_t max_size, struct boot_info *bi)
{
    static int (*const parsers[])(const struct fdt *, struct boot_info *) = {
        parse_memory, parse_reserved, parse_cmdline, parse_cpus,
        parse_uart,   parse_gic,      parse_timer,   parse_psci,
    };
    struct fdt fdt;

    if (!dtb || !bi) {
        return E_INVAL;
    }
    int err = fdt_init(&fdt, dtb, max_size);
    if (err < 0) {
        return err;
    }
    clear_parsed_fields(bi);
    for (size_t i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++) {
        err = parsers[i](&fdt, bi);
        if (err < 0) {
            return err;
        }
    }
    return 0;
}
