/*
 * The architecture's inline half of include/hal/mmu.h's descriptors: what
 * mapping a page asks of the format (can it say these permissions, what
 * is the descriptor, where does this table entry lead). Plain bit
 * arithmetic, so the host tests build it too. It repeats a few facts of
 * arch/pte.h and arch/mmu_config.h under names of its own (that header's
 * PAGE_SIZE and friends would collide with the core's); arch/aarch64/mmu.c
 * checks that both agree.
 */
#ifndef ARCH_HAL_MMU_DESC_H
#define ARCH_HAL_MMU_DESC_H

#include <stdbool.h>
#include <stdint.h>

#define HAL_PTE_TYPE_MASK 3ULL
#define HAL_PTE_TABLE     3ULL /* L0-L2: points to the next table */
#define HAL_PTE_PAGE      3ULL /* L3: maps a 4 KiB page */
#define HAL_PTE_BLOCK     1ULL /* L1/L2: maps a block */
#define HAL_PTE_ADDR_MASK 0x0000fffffffff000ULL
#define HAL_PTE_ATTR_DEV  (0ULL << 2) /* MAIR index 0: Device-nGnRE */
#define HAL_PTE_ATTR_NORM (1ULL << 2) /* MAIR index 1: Normal write-back */
#define HAL_PTE_AP_USER   (1ULL << 6)
#define HAL_PTE_AP_RO     (1ULL << 7)
#define HAL_PTE_SH_INNER  (3ULL << 8)
#define HAL_PTE_AF        (1ULL << 10)
#define HAL_PTE_NG        (1ULL << 11)
#define HAL_PTE_PXN       (1ULL << 53)
#define HAL_PTE_UXN       (1ULL << 54)

static inline uint64_t hal_mmu_next_table(unsigned level, uint64_t desc)
{
    /* 0b11 above the leaf level (3) is a table descriptor; anything else is not. */
    return level < 3 && (desc & HAL_PTE_TYPE_MASK) == HAL_PTE_TABLE ? desc & HAL_PTE_ADDR_MASK : 0;
}

static inline bool hal_mmu_perms_supported(unsigned perms)
{
    /* AP can say read-write or read-only, never write-only; execute-only is not offered. */
    return (perms & ~MMU_PERMS_ALL) == 0 && (perms & MMU_READ) != 0;
}

static inline uint64_t hal_mmu_leaf_desc(unsigned level, uint64_t pa, unsigned perms,
                                         enum mmu_mem_type type, bool global)
{
    uint64_t desc = (pa & HAL_PTE_ADDR_MASK) | HAL_PTE_AF;

    if (level == 0 || level > 3) {
        return 0; /* level 0 cannot map anything with a 4 KiB granule */
    }
    desc |= level == 3 ? HAL_PTE_PAGE : HAL_PTE_BLOCK;
    if (type == MMU_DEVICE) {
        desc |= HAL_PTE_ATTR_DEV | HAL_PTE_PXN | HAL_PTE_UXN;
    } else {
        bool exec = (perms & MMU_EXEC) != 0;
        bool user = (perms & MMU_USER) != 0;
        desc |= HAL_PTE_ATTR_NORM | HAL_PTE_SH_INNER;
        desc |= (exec && !user) ? 0 : HAL_PTE_PXN;
        desc |= (exec && user) ? 0 : HAL_PTE_UXN;
    }
    desc |= (perms & MMU_WRITE) ? 0 : HAL_PTE_AP_RO;
    desc |= (perms & MMU_USER) ? HAL_PTE_AP_USER : 0;
    desc |= global ? 0 : HAL_PTE_NG;
    return desc;
}

static inline void hal_mmu_entry_set(uint64_t *entry, uint64_t desc)
{
    hal_mmu_sync_tables();              /* what desc leads to is complete before it is reachable */
    *(volatile uint64_t *)entry = desc; /* one store, not split or moved across the barriers */
    hal_mmu_sync_tables();              /* and the entry is seen by the next walk */
}

#endif
