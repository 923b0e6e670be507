/*
 * The architecture's inline half of include/hal/mmu.h: installing a user
 * address space, on every switch between tasks.
 */
#ifndef ARCH_HAL_MMU_H
#define ARCH_HAL_MMU_H

#include <stdint.h>

#include "arch/mmu_config.h"
#include "arch/sysreg.h"

static inline void hal_mmu_sync_tables(void)
{
    __asm__ volatile("dsb ishst\n\tisb" ::: "memory");
}

static inline void hal_mmu_install_user_root(uint64_t root)
{
    /* TCR.A1 = 0: the ASID travels with TTBR0, so base and ASID change in
     * one write. No TLB maintenance: entries are tagged with their ASID. */
    sysreg_write_ttbr0_el1(root);
    arch_isb();
    uint64_t tcr = sysreg_read_tcr_el1();
    if (__builtin_expect((tcr & TCR_EPD0) != 0, 0)) {
        /* Lower-half walks were off (a kernel thread ran with no user
         * space, hal_mmu_remove_user_root): on again. */
        sysreg_write_tcr_el1(tcr & ~TCR_EPD0);
        arch_isb();
    }
}

#endif
