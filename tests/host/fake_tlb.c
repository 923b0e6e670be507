/*
 * The host test build's stand-in for arch/aarch64/tlb.c: the MMU
 * instructions of include/hal/mmu.h, recorded instead of executed.
 *
 * The descriptor code (arch/aarch64/mmu.c) and kernel/vspace.c run for real
 * on top of this, so tests can check from hal_tlb_stats() that every change
 * of a live entry was followed by an invalidation of the right address in
 * the right ASID. The install/remove calls only remember what would be in
 * TTBR0; nothing translates on the host.
 */
#include <stdint.h>

#include "hal/mmu.h"

static struct mmu_tlb_stats fake_tlb;
static uint64_t fake_syncs;
static uint64_t fake_user_root;

static void fake_tlb_log(enum mmu_tlb_op_kind kind, uint64_t va, uint32_t asid)
{
    struct mmu_tlb_op *op = &fake_tlb.log[fake_tlb.total % MMU_TLB_LOG_SIZE];

    op->kind = kind;
    op->va = va;
    op->asid = asid;
    fake_tlb.count[kind]++;
    fake_tlb.total++;
}

void hal_mmu_sync_tables(void)
{
    fake_syncs++;
}

void hal_tlb_invalidate_va(uint64_t va, uint32_t asid)
{
    fake_tlb_log(MMU_TLB_OP_VA, va, asid);
}

void hal_tlb_invalidate_asid(uint32_t asid)
{
    fake_tlb_log(MMU_TLB_OP_ASID, 0, asid);
}

void hal_tlb_invalidate_all(void)
{
    fake_tlb_log(MMU_TLB_OP_ALL, 0, 0);
}

void hal_tlb_stats(struct mmu_tlb_stats *out)
{
    *out = fake_tlb;
}

void hal_mmu_install_user_root(uint64_t root)
{
    fake_user_root = root;
}

uint64_t hal_mmu_installed_user_root(void)
{
    return fake_user_root;
}

unsigned hal_mmu_asid_bits(void)
{
    return 16;
}

void hal_mmu_remove_user_root(void)
{
    fake_user_root = hal_mmu_user_root(0, MMU_ASID_RESERVED);
}
