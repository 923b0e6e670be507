/*
 * The AArch64 translation table format for a 4 KiB granule and 48-bit
 * virtual addresses: four levels, L0 to L3, of 512 eight-byte descriptors.
 *
 *   VA bits  47..39   38..30   29..21   20..12   11..0
 *            L0 index L1 index L2 index L3 index page offset
 *
 * An L1 entry may be a 1 GiB block, an L2 entry a 2 MiB block, an L3 entry a
 * 4 KiB page. Descriptor bits follow ARM DDI 0487, section D8.3.
 */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include <stdint.h>

#include "arch/regs.h"
#include "arch/sysreg.h"

#define PAGE_SIZE 4096ULL
#define PTE_ENTRIES 512
#define GIB (1ULL << 30)
#define MIB2 (1ULL << 21)

#define PTE_SHIFT(level) (39 - 9 * (level))
#define PTE_INDEX(level, va) (((uint64_t)(va) >> PTE_SHIFT(level)) & (PTE_ENTRIES - 1))

#define PTE_VALID (1ULL << 0)
#define PTE_TABLE (3ULL << 0)      /* L0-L2: points to the next table */
#define PTE_BLOCK (1ULL << 0)      /* L1/L2: maps a 1 GiB / 2 MiB block */
#define PTE_PAGE (3ULL << 0)       /* L3: maps a 4 KiB page */
#define PTE_ATTR(idx) ((uint64_t)(idx) << 2) /* index into MAIR_EL1 */
#define PTE_AP_RO (1ULL << 7)      /* read-only (else read-write) */
#define PTE_AP_USER (1ULL << 6)    /* EL0 may access */
#define PTE_SH_INNER (3ULL << 8)   /* inner shareable */
#define PTE_AF (1ULL << 10)        /* access flag: set, or the first access faults */
#define PTE_NG (1ULL << 11)        /* not global: tagged with the ASID */
#define PTE_PXN (1ULL << 53)       /* not executable at EL1 */
#define PTE_UXN (1ULL << 54)       /* not executable at EL0 */
#define PTE_ADDR_MASK 0x0000fffffffff000ULL

/* Kernel RAM, readable, writable and executable: only for the boot tables. */
#define PTE_KERNEL_RWX (PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_UXN)
/* Kernel RAM, never executable: the linear map. */
#define PTE_KERNEL_RW (PTE_KERNEL_RWX | PTE_PXN)
/* MMIO: Device-nGnRE, never executable. */
#define PTE_KERNEL_DEVICE (PTE_ATTR(MAIR_IDX_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN)

/* Whether TTBR0 walks stay enabled in the TCR value. */
enum tcr_ttbr0 {
    TCR_EPD0_ON,
    TCR_EPD0_OFF,
};

/*
 * TCR_EL1 for 48-bit virtual addresses in both halves, 4 KiB granules,
 * write-back cacheable inner-shareable table walks, 16-bit ASIDs and the
 * widest physical address size the CPU supports (up to 48 bits).
 * Safe to call with the MMU off.
 */
static inline uint64_t mmu_tcr_value(enum tcr_ttbr0 ttbr0)
{
    uint64_t parange = sysreg_read_id_aa64mmfr0_el1() & 0xf;
    uint64_t tcr = 0;

    if (parange > 5) {
        parange = 5; /* 48 bits: all our tables can express */
    }
    tcr |= 16ULL << 0;           /* T0SZ: 2^(64-16) bytes of lower half */
    tcr |= 1ULL << 8;            /* IRGN0: inner write-back write-allocate walks */
    tcr |= 1ULL << 10;           /* ORGN0: outer write-back write-allocate walks */
    tcr |= 3ULL << 12;           /* SH0: inner shareable */
    tcr |= 0ULL << 14;           /* TG0: 4 KiB granule */
    tcr |= 16ULL << 16;          /* T1SZ: 2^(64-16) bytes of upper half */
    tcr |= 1ULL << 24;           /* IRGN1 */
    tcr |= 1ULL << 26;           /* ORGN1 */
    tcr |= 3ULL << 28;           /* SH1 */
    tcr |= 2ULL << 30;           /* TG1: 4 KiB granule (the encoding differs from TG0) */
    tcr |= parange << 32;        /* IPS: intermediate physical address size */
    tcr |= 1ULL << 36;           /* AS: 16-bit ASIDs */
    if (ttbr0 == TCR_EPD0_OFF) {
        tcr |= 1ULL << 7;        /* EPD0: no walks through TTBR0; the lower half faults */
    }
    return tcr;
}

#endif
