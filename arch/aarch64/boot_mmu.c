/*
 * The boot page tables: just enough translation to turn the MMU on and run
 * the kernel at its upper-half address.
 *
 * This code runs before the MMU is on, at the physical address, so it must
 * only use PC-relative addressing (the compiler's default small code model
 * does) and aligned accesses (the Makefile builds it with -mstrict-align:
 * with the MMU off every access is Device memory, where hardware faults on
 * misalignment even though QEMU does not).
 *
 * Two maps, both with 1 GiB blocks:
 *   TTBR0 (identity): the GiB holding the kernel, so the instructions right
 *         after "MMU on" still run at the physical address;
 *   TTBR1 (upper half): physical address + KERNEL_VIRT_OFFSET for the first
 *         GiB of the physical map (the devices of QEMU virt) and the GiB holding
 *         the kernel (its RAM).
 * arch_boot_main() replaces TTBR1 with a map of all RAM once it has read the
 * device tree (linear_map.c); the identity map stays until the kernel's own
 * tables take over (kernel_map.c), then TTBR0 walks are turned off.
 *
 * One L1 table per half covers 512 GiB, so this assumes the kernel is loaded
 * below 512 GiB physical, in the same L0 slot as the devices (true on QEMU
 * virt, where RAM starts at 1 GiB).
 */
#include <stdint.h>

#include "arch/memory_layout.h"
#include "arch/mmu_config.h"
#include "arch/pte.h"
#include "arch/sysreg.h"

uint64_t boot_ttbr0_l0[PTE_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
uint64_t boot_ttbr1_l0[PTE_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t boot_ttbr0_l1[PTE_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t boot_ttbr1_l1[PTE_ENTRIES] __attribute__((aligned(PAGE_SIZE)));

/* Cleans and invalidates lines so the table walker, which reads through the
 * cache once the MMU is on, cannot see stale data from before we wrote. */
static void boot_invalidate_dcache(const void *start, uint64_t size)
{
    for (uint64_t a = (uint64_t)start; a < (uint64_t)start + size; a += 64) {
        __asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
    }
    __asm__ volatile("dsb sy" ::: "memory");
}

/*
 * Builds the boot tables for a kernel loaded at kernel_pa and returns the
 * TCR_EL1 value to go with them. Called from boot.S with the MMU off and BSS
 * already zeroed.
 */
uint64_t boot_mmu_build(uint64_t kernel_pa)
{
    uint64_t kernel_gib = kernel_pa & ~(GIB - 1);

    boot_ttbr0_l0[PTE_INDEX(0, kernel_pa)] = (uint64_t)boot_ttbr0_l1 | PTE_TABLE;
    boot_ttbr0_l1[PTE_INDEX(1, kernel_pa)] = kernel_gib | PTE_BLOCK | PTE_KERNEL_RWX;

    boot_ttbr1_l0[PTE_INDEX(0, kernel_pa)] = (uint64_t)boot_ttbr1_l1 | PTE_TABLE;
    boot_ttbr1_l1[PTE_INDEX(1, 0)] = 0 | PTE_BLOCK | PTE_KERNEL_DEVICE;
    boot_ttbr1_l1[PTE_INDEX(1, kernel_pa)] = kernel_gib | PTE_BLOCK | PTE_KERNEL_RWX;

    boot_invalidate_dcache(boot_ttbr0_l0, PAGE_SIZE);
    boot_invalidate_dcache(boot_ttbr0_l1, PAGE_SIZE);
    boot_invalidate_dcache(boot_ttbr1_l0, PAGE_SIZE);
    boot_invalidate_dcache(boot_ttbr1_l1, PAGE_SIZE);

    return mmu_tcr_value(sysreg_read_id_aa64mmfr0_el1(), TCR_EPD0_ON);
}
