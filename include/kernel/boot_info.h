/*
 * What the kernel knows about the machine when kmain() starts. The platform
 * fills it from the device tree (see platform/qemu-virt/boot_info.c); nothing
 * in it is hard-coded, so -m 128M and -m 4G boot the same image.
 *
 * Addresses are physical. Interrupt numbers are GIC INTIDs (SPI n is 32 + n,
 * PPI n is 16 + n).
 */
#ifndef KERNEL_BOOT_INFO_H
#define KERNEL_BOOT_INFO_H

#include <stdint.h>

#define BOOT_MAX_RAM_RANGES 8
#define BOOT_MAX_RESERVED   16
#define BOOT_CMDLINE_MAX    512

struct mem_range {
    uint64_t base;
    uint64_t size;
};

enum psci_conduit {
    PSCI_CONDUIT_NONE = 0, /* no /psci node (e.g. QEMU with secure=on) */
    PSCI_CONDUIT_HVC,
    PSCI_CONDUIT_SMC,
};

struct boot_info {
    /* RAM from the /memory nodes, sorted by base, at most BOOT_MAX_RAM_RANGES. */
    struct mem_range ram[BOOT_MAX_RAM_RANGES];
    unsigned ram_count;

    /* /memreserve/ entries and /reserved-memory children. */
    struct mem_range reserved[BOOT_MAX_RESERVED];
    unsigned reserved_count;

    /* The kernel image (including BSS) and the device tree blob itself. */
    struct mem_range kernel;
    struct mem_range dtb;

    /* /chosen/bootargs, always NUL-terminated (truncated if too long). */
    char cmdline[BOOT_CMDLINE_MAX];

    /* Number of /cpus/cpu@N nodes. */
    unsigned cpu_count;

    /* The console UART: /chosen/stdout-path if it names a pl011, else the first pl011. */
    uint64_t uart_base;
    uint32_t uart_irq;

    /* The interrupt controller (compatible "arm,cortex-a15-gic" or similar). */
    uint64_t gicd_base;
    uint64_t gicc_base;

    /* Generic timer interrupts from "arm,armv8-timer": secure phys, phys, virt, hyp. */
    uint32_t timer_irq_phys;
    uint32_t timer_irq_virt;

    /* How to call PSCI firmware, from /psci "method". */
    enum psci_conduit psci;

    /* The exception level the CPU was in when it entered _start (1, 2 or 3). */
    uint32_t entry_el;
};

#endif
