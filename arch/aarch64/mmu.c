/*
 * AArch64 translation-table descriptors, in portable C: the half of
 * include/hal/mmu.h that is only bit arithmetic. kernel/vspace.c is the other
 * side of the door; tlb.c holds the instructions. Because nothing here needs
 * a system register, the host tests link this very file and check the
 * real encoder.
 *
 * A valid descriptor (ARM DDI 0487, D8.3), 4 KiB granule:
 *
 *   63    59 58  55 54  53  52    50 47          12 11 10  9 8  7 6  5  4  2  1  0
 *   [table  ][ sw ][UXN][PXN][cont][ output address ][nG][AF][ SH ][ AP ][NS][AttrIdx][type]
 *
 *   type     0b11 table (levels 0-2) or page (level 3); 0b01 block (levels 1-2)
 *   AttrIdx  which of MAIR_EL1's eight memory types (arch/mmu_config.h)
 *   AP[2:1]  bit 7: read-only; bit 6: EL0 may access too
 *   SH       shareability of Normal memory (0b11 inner shareable)
 *   AF       access flag: the kernel always sets it, so no access-flag faults
 *   nG       not global: the entry belongs to one ASID
 *   PXN/UXN  never executable at EL1 / at EL0
 *
 * Permission policy chosen here: nothing is executable at both levels; a
 * user mapping is never executable by the kernel (PXN), a kernel one never
 * by user mode (UXN), and Device memory by nobody.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/mmu_config.h"
#include "arch/pte.h"
#include "hal/mmu.h"
#include "lib/printf.h"

/* arch/hal_mmu_desc.h repeats these under names of its own. */
_Static_assert(HAL_PTE_TABLE == PTE_TABLE && HAL_PTE_PAGE == PTE_PAGE &&
                   HAL_PTE_BLOCK == PTE_BLOCK && HAL_PTE_TYPE_MASK == PTE_TYPE_MASK &&
                   HAL_PTE_ADDR_MASK == PTE_ADDR_MASK,
               "descriptor types");
_Static_assert(HAL_PTE_ATTR_DEV == PTE_ATTR(MAIR_IDX_DEVICE) &&
                   HAL_PTE_ATTR_NORM == PTE_ATTR(MAIR_IDX_NORMAL),
               "memory attribute indexes");
_Static_assert(HAL_PTE_AP_USER == PTE_AP_USER && HAL_PTE_AP_RO == PTE_AP_RO &&
                   HAL_PTE_SH_INNER == PTE_SH_INNER && HAL_PTE_AF == PTE_AF &&
                   HAL_PTE_NG == PTE_NG && HAL_PTE_PXN == PTE_PXN && HAL_PTE_UXN == PTE_UXN,
               "descriptor bits");

uint64_t hal_mmu_user_root(uint64_t root_pa, uint32_t asid)
{
    return mmu_ttbr_value(root_pa, asid);
}

uint64_t hal_mmu_table_desc(uint64_t table_pa)
{
    return (table_pa & PTE_ADDR_MASK) | PTE_TABLE;
}

static enum mmu_desc_kind mmu_desc_kind(unsigned level, uint64_t desc)
{
    uint64_t type = desc & PTE_TYPE_MASK;

    if (type == PTE_TABLE) {
        return level == MMU_LEAF_LEVEL ? MMU_DESC_PAGE : MMU_DESC_TABLE;
    }
    if (type == PTE_BLOCK && level != MMU_ROOT_LEVEL && level != MMU_LEAF_LEVEL) {
        return MMU_DESC_BLOCK;
    }
    return MMU_DESC_INVALID; /* 0b00, 0b10, and 0b01 where no block is allowed */
}

void hal_mmu_decode(unsigned level, uint64_t desc, struct mmu_desc *out)
{
    out->kind = mmu_desc_kind(level, desc);
    out->addr = 0;
    out->perms = 0;
    out->type = MMU_NORMAL;
    out->global = false;
    if (out->kind == MMU_DESC_INVALID) {
        return;
    }
    out->addr = desc & PTE_ADDR_MASK;
    if (out->kind == MMU_DESC_TABLE) {
        return;
    }
    bool user = (desc & PTE_AP_USER) != 0;
    out->perms = MMU_READ;
    if (!(desc & PTE_AP_RO)) {
        out->perms |= MMU_WRITE;
    }
    if (user) {
        out->perms |= MMU_USER;
    }
    if (!(desc & (user ? PTE_UXN : PTE_PXN))) {
        out->perms |= MMU_EXEC;
    }
    out->type = ((desc & PTE_ATTR_MASK) == PTE_ATTR(MAIR_IDX_DEVICE)) ? MMU_DEVICE : MMU_NORMAL;
    out->global = !(desc & PTE_NG);
}

static const char *mmu_attr_name(unsigned index)
{
    switch (index) {
    case MAIR_IDX_DEVICE:
        return "Device-nGnRE";
    case MAIR_IDX_NORMAL:
        return "Normal WB";
    case MAIR_IDX_NORMAL_NC:
        return "Normal NC";
    default:
        return "unused";
    }
}

void hal_mmu_format_desc(unsigned level, uint64_t desc, char *buf, size_t size)
{
    static const char *const ap_names[4] = {"EL1 RW, EL0 --", "EL1 RW, EL0 RW", "EL1 RO, EL0 --",
                                            "EL1 RO, EL0 RO"};
    static const char *const sh_names[4] = {"non-shareable", "reserved", "outer", "inner"};
    enum mmu_desc_kind kind = mmu_desc_kind(level, desc);

    if (kind == MMU_DESC_INVALID) {
        ksnprintf(buf, size, "invalid (type bits %llu%llu): an access here faults",
                  (unsigned long long)((desc >> 1) & 1), (unsigned long long)(desc & 1));
        return;
    }
    if (kind == MMU_DESC_TABLE) {
        ksnprintf(buf, size, "table, next level at 0x%llx",
                  (unsigned long long)(desc & PTE_ADDR_MASK));
        return;
    }
    unsigned attr = (unsigned)((desc & PTE_ATTR_MASK) >> 2);
    unsigned ap = (unsigned)((desc & PTE_AP_MASK) >> 6);
    unsigned sh = (unsigned)((desc & PTE_SH_MASK) >> 8);
    ksnprintf(buf, size,
              "%s, OA 0x%llx, AttrIndx %u (%s), AP %u%u (%s), SH %u%u (%s), AF %u, nG %u, "
              "PXN %u, UXN %u",
              kind == MMU_DESC_PAGE ? "page" : "block", (unsigned long long)(desc & PTE_ADDR_MASK),
              attr, mmu_attr_name(attr), ap >> 1, ap & 1, ap_names[ap], sh >> 1, sh & 1,
              sh_names[sh], (desc & PTE_AF) ? 1 : 0, (desc & PTE_NG) ? 1 : 0,
              (desc & PTE_PXN) ? 1 : 0, (desc & PTE_UXN) ? 1 : 0);
}

/* A volatile store, so the compiler can neither split nor reorder it around the barriers. */
static void mmu_store(uint64_t *entry, uint64_t desc)
{
    *(volatile uint64_t *)entry = desc;
}

void hal_mmu_entry_clear(uint64_t *entry, uint64_t va, uint32_t asid)
{
    mmu_store(entry, 0);
    hal_tlb_invalidate_va(va, asid); /* begins with the barrier that publishes the store */
}

void hal_mmu_entry_replace(uint64_t *entry, uint64_t desc, uint64_t va, uint32_t asid)
{
    hal_mmu_entry_clear(entry, va, asid); /* break: no walk or TLB entry sees the old one */
    hal_mmu_entry_set(entry, desc);       /* make */
}
