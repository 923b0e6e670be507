/*
 * The AArch64 translation table format for a 4 KiB granule and 48-bit
 * virtual addresses: four levels, L0 to L3, of 512 eight-byte descriptors.
 *
 *   VA bits  47..39   38..30   29..21   20..12   11..0
 *            L0 index L1 index L2 index L3 index page offset
 *
 * An L1 entry may be a 1 GiB block, an L2 entry a 2 MiB block, an L3 entry a
 * 4 KiB page. Descriptor bits follow ARM DDI 0487, section D8.3.
 *
 * These raw bits serve the boot-time tables (boot_mmu.c, linear_map.c) and
 * the descriptor encoder (mmu.c); the portable core never sees them: it asks
 * include/hal/mmu.h. The memory types behind PTE_ATTR() are in mmu_config.h.
 */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include <stdint.h>

#include "arch/mmu_config.h"

#define PAGE_SIZE   4096ULL
#define PTE_ENTRIES 512
#define GIB         (1ULL << 30)
#define MIB2        (1ULL << 21)

#define PTE_SHIFT(level)     (39 - 9 * (level))
#define PTE_INDEX(level, va) (((uint64_t)(va) >> PTE_SHIFT(level)) & (PTE_ENTRIES - 1))

#define PTE_VALID     (1ULL << 0)
#define PTE_TABLE     (3ULL << 0)            /* L0-L2: points to the next table */
#define PTE_BLOCK     (1ULL << 0)            /* L1/L2: maps a 1 GiB / 2 MiB block */
#define PTE_PAGE      (3ULL << 0)            /* L3: maps a 4 KiB page */
#define PTE_ATTR(idx) ((uint64_t)(idx) << 2) /* index into MAIR_EL1 */
#define PTE_AP_RO     (1ULL << 7)            /* read-only (else read-write) */
#define PTE_AP_USER   (1ULL << 6)            /* EL0 may access */
#define PTE_SH_INNER  (3ULL << 8)            /* inner shareable */
#define PTE_AF        (1ULL << 10)           /* access flag: set, or the first access faults */
#define PTE_NG        (1ULL << 11)           /* not global: tagged with the ASID */
#define PTE_PXN       (1ULL << 53)           /* not executable at EL1 */
#define PTE_UXN       (1ULL << 54)           /* not executable at EL0 */
#define PTE_ADDR_MASK 0x0000fffffffff000ULL

/* Field masks, for decoding. */
#define PTE_TYPE_MASK (3ULL << 0)
#define PTE_ATTR_MASK (7ULL << 2)
#define PTE_AP_MASK   (3ULL << 6)
#define PTE_SH_MASK   (3ULL << 8)

/* Kernel RAM, readable, writable and executable: only for the boot tables. */
#define PTE_KERNEL_RWX    (PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_UXN)
/* Kernel RAM, never executable: the linear map. */
#define PTE_KERNEL_RW     (PTE_KERNEL_RWX | PTE_PXN)
/* MMIO: Device-nGnRE, never executable. */
#define PTE_KERNEL_DEVICE (PTE_ATTR(MAIR_IDX_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN)

#endif
