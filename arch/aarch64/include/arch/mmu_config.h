/*
 * The translation regime's configuration, in one place: what goes into
 * MAIR_EL1 (the memory types descriptors may name), TCR_EL1 (the shape of
 * both address-space halves) and TTBR0/TTBR1_EL1 (a table base plus an ASID).
 *
 * The values are defined here and nowhere else. They are written to the
 * registers in exactly two places:
 *   - boot.S, boot_mmu_enable: MAIR, TCR (from boot_mmu_build) and both
 *     TTBRs, the moment the MMU is turned on;
 *   - tlb.c and kernel_map.c: later changes, namely TTBR1 once the kernel's
 *     own tables take over, TTBR0 and TCR.EPD0 whenever a user address space
 *     is installed or removed.
 *
 * Register layouts: ARM DDI 0487, D17.2.97 (MAIR_EL1), D17.2.131 (TCR_EL1),
 * D17.2.136/139 (TTBR0/1_EL1). This header is shared with assembly, so the
 * C parts are fenced off.
 */
#ifndef ARCH_MMU_CONFIG_H
#define ARCH_MMU_CONFIG_H

/*
 * MAIR_EL1: eight one-byte memory types. A descriptor's AttrIndx field
 * (bits 4:2) picks one by index.
 *   index 0  0x04  Device-nGnRE: no gathering, no reordering, early write
 *                  acknowledgement; what MMIO registers need
 *   index 1  0xff  Normal, inner and outer write-back, read/write-allocate: RAM
 *   index 2  0x44  Normal, non-cacheable (not used by the kernel yet)
 */
#define MAIR_IDX_DEVICE    0
#define MAIR_IDX_NORMAL    1
#define MAIR_IDX_NORMAL_NC 2
#define MAIR_VALUE         0x44ff04

/* TTBRn_EL1: the table's physical address in bits 47:1, the ASID in 63:48. */
#define TTBR_ASID_SHIFT 48

#ifndef __ASSEMBLY__
#include <stdint.h>

/* TCR_EL1.EPD0: no walks through TTBR0; a TLB miss in the lower half faults. */
#define TCR_EPD0 (1ULL << 7)

/* Whether TTBR0 walks stay enabled in the TCR value. */
enum tcr_ttbr0 {
    TCR_EPD0_ON,
    TCR_EPD0_OFF,
};

/* ID_AA64MMFR0_EL1.ASIDBits (bits 7:4): 0b0010 means 16 bits, 0b0000 8. */
static inline unsigned mmu_asid_bits(uint64_t id_aa64mmfr0)
{
    return ((id_aa64mmfr0 >> 4) & 0xf) == 2 ? 16 : 8;
}

/*
 * TCR_EL1 for 48-bit virtual addresses in both halves, 4 KiB granules,
 * write-back cacheable inner-shareable table walks, ASIDs taken from TTBR0
 * (A1 = 0), 16 bits wide where the CPU has them, and the widest physical address size the CPU
 * reports in id_aa64mmfr0 (ID_AA64MMFR0_EL1, read by the caller), capped at 48 bits. A pure
 * function, so the MMU-off boot code can call it too.
 */
static inline uint64_t mmu_tcr_value(uint64_t id_aa64mmfr0, enum tcr_ttbr0 ttbr0)
{
    uint64_t parange = id_aa64mmfr0 & 0xf;
    uint64_t tcr = 0;

    if (parange > 5) {
        parange = 5; /* 48 bits: all our tables can express */
    }
    tcr |= 16ULL << 0;    /* T0SZ: 2^(64-16) bytes of lower half */
    tcr |= 1ULL << 8;     /* IRGN0: inner write-back write-allocate walks */
    tcr |= 1ULL << 10;    /* ORGN0: outer write-back write-allocate walks */
    tcr |= 3ULL << 12;    /* SH0: inner shareable */
    tcr |= 0ULL << 14;    /* TG0: 4 KiB granule */
    tcr |= 16ULL << 16;   /* T1SZ: 2^(64-16) bytes of upper half */
    tcr |= 1ULL << 24;    /* IRGN1 */
    tcr |= 1ULL << 26;    /* ORGN1 */
    tcr |= 3ULL << 28;    /* SH1 */
    tcr |= 2ULL << 30;    /* TG1: 4 KiB granule (the encoding differs from TG0) */
    tcr |= parange << 32; /* IPS: intermediate physical address size */
    if (mmu_asid_bits(id_aa64mmfr0) == 16) {
        tcr |= 1ULL << 36; /* AS: 16-bit ASIDs (RES0 on a CPU without them) */
    }
    if (ttbr0 == TCR_EPD0_OFF) {
        tcr |= TCR_EPD0;
    }
    return tcr;
}

/* A TTBRn_EL1 value: table base and ASID (ignored for TTBR1, as TCR.A1 = 0). */
static inline uint64_t mmu_ttbr_value(uint64_t table_pa, uint32_t asid)
{
    return table_pa | ((uint64_t)(asid & 0xffff) << TTBR_ASID_SHIFT);
}
#endif

#endif
