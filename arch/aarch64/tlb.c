/*
 * The instructions behind include/hal/mmu.h: barriers that publish table
 * writes to the table walker, TLB invalidation, and the TTBR0/TCR writes
 * that install or remove a user address space. (The descriptor format is in
 * mmu.c; the one-time kernel switch is in kernel_map.c.) On the host,
 * tests/host/fake_tlb.c stands in for this file.
 *
 * The barrier pattern around every invalidation (ARM DDI 0487, D8.14):
 *   dsb ishst   the store that changed the table is visible to every walker
 *               in the inner shareable domain before the TLBI is issued;
 *   tlbi ...is  broadcast to every core of the inner shareable domain;
 *   dsb ish     wait until all of them have completed it;
 *   isb         and refetch, so even the next instruction is translated anew.
 *
 * Which TLBI: "vae1is" drops one VA of one ASID, at every level (so cached
 * table entries go too, which matters when a table is freed); "vaae1is"
 * drops one VA in every ASID, for the kernel's global entries; "aside1is"
 * drops a whole ASID before it is reused; "vmalle1is" drops everything.
 */
#include <stdint.h>

#include "arch/mmu_config.h"
#include "arch/sysreg.h"
#include "hal/mmu.h"

static struct mmu_tlb_stats tlb_stats;

static void tlb_log(enum mmu_tlb_op_kind kind, uint64_t va, uint32_t asid)
{
    struct mmu_tlb_op *op = &tlb_stats.log[tlb_stats.total % MMU_TLB_LOG_SIZE];

    op->kind = kind;
    op->va = va;
    op->asid = asid;
    tlb_stats.count[kind]++;
    tlb_stats.total++;
}

/* The TLBI operand: VA[55:12] in bits 43:0, the ASID in bits 63:48. */
static uint64_t tlb_operand(uint64_t va, uint32_t asid)
{
    return ((va >> 12) & ((1ULL << 44) - 1)) | ((uint64_t)(asid & 0xffff) << 48);
}

void hal_tlb_invalidate_va(uint64_t va, uint32_t asid)
{
    if (asid == MMU_ASID_GLOBAL) {
        __asm__ volatile("dsb ishst\n\ttlbi vaae1is, %0\n\tdsb ish\n\tisb" ::"r"(tlb_operand(va, 0))
                         : "memory");
    } else {
        __asm__ volatile(
            "dsb ishst\n\ttlbi vae1is, %0\n\tdsb ish\n\tisb" ::"r"(tlb_operand(va, asid))
            : "memory");
    }
    tlb_log(MMU_TLB_OP_VA, va, asid);
}

void hal_tlb_invalidate_asid(uint32_t asid)
{
    __asm__ volatile("dsb ishst\n\ttlbi aside1is, %0\n\tdsb ish\n\tisb" ::"r"(tlb_operand(0, asid))
                     : "memory");
    tlb_log(MMU_TLB_OP_ASID, 0, asid);
}

void hal_tlb_invalidate_all(void)
{
    arch_tlbi_vmalle1is();
    tlb_log(MMU_TLB_OP_ALL, 0, 0);
}

void hal_tlb_stats(struct mmu_tlb_stats *out)
{
    *out = tlb_stats;
}

uint64_t hal_mmu_installed_user_root(void)
{
    return (sysreg_read_tcr_el1() & TCR_EPD0) ? 0 : sysreg_read_ttbr0_el1();
}

unsigned hal_mmu_asid_bits(void)
{
    return mmu_asid_bits(sysreg_read_id_aa64mmfr0_el1());
}

void hal_mmu_remove_user_root(void)
{
    /* Walks off first, then the reserved ASID: entries of the old ASID can no longer hit. */
    sysreg_write_tcr_el1(sysreg_read_tcr_el1() | TCR_EPD0);
    arch_isb();
    sysreg_write_ttbr0_el1(mmu_ttbr_value(0, MMU_ASID_RESERVED));
    arch_isb();
}
