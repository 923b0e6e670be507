/* Symbols shared by the boot assembly, the boot tables and arch_boot_main. */
#ifndef ARCH_BOOT_H
#define ARCH_BOOT_H

#include <stdint.h>

#include "kernel/entry.h"

struct boot_info;

/* The image bounds, from kernel.ld.S. */
extern char _text[], _etext[], _erodata[], _end[];
extern char boot_stack_bottom[], boot_stack_top[];

/* boot.S: must be called through its identity-mapped (physical) address. */
void boot_replace_ttbr1(uint64_t ttbr1);

/* Called by boot.S in EL1, on the upper half, with the boot stack. */
__attribute__((noreturn)) void arch_boot_main(uint64_t dtb_pa, uint64_t entry_el);

/* linear_map.c: maps all RAM of bi into the upper half, replacing the boot map.
 * The boot identity map in TTBR0 stays on, for hal_mmu_install_kernel_root(). */
void linear_map_build(const struct boot_info *bi);

/* cpu.c: turns on Privileged Access Never where the CPU has it. */
void arch_cpu_enable_pan(void);

/* power.c: remembers how to reach PSCI firmware. */
void power_init(const struct boot_info *bi);

#endif
