/*
 * Bit values for the system registers set up at boot. Shared by assembly
 * and C, so only plain constants. Names follow the ARM ARM.
 */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

/* SCR_EL3: how EL3 configures the lower levels. */
#define SCR_NS   (1 << 0)  /* lower levels are Non-secure */
#define SCR_RES1 (3 << 4)  /* bits 5:4 are reserved, set to one */
#define SCR_HCE  (1 << 8)  /* hvc is enabled */
#define SCR_RW   (1 << 10) /* the next lower level is AArch64 */

/* HCR_EL2: hypervisor configuration. */
#define HCR_RW (1 << 31) /* EL1 is AArch64 */

/* CNTHCTL_EL2: let EL1 read the physical counter and use the physical timer. */
#define CNTHCTL_EL1PCTEN (1 << 0)
#define CNTHCTL_EL1PCEN  (1 << 1)

/* CPTR_EL2 with no traps: only the reserved-one bits 13:12 and 9:0 set. */
#define CPTR_EL2_NO_TRAPS 0x33ff

/* CPACR_EL1.FPEN = 0b11: FP/SIMD does not trap at EL1 or EL0. */
#define CPACR_FPEN_ALL (3 << 20)

/* SPSR value to enter EL1 using SP_EL1 ("EL1h") with D, A, I and F masked. */
#define SPSR_EL1H_MASKED 0x3c5

/* SCTLR_EL1 bits. */
#define SCTLR_M    (1 << 0)  /* MMU on */
#define SCTLR_C    (1 << 2)  /* data cache on */
#define SCTLR_SA   (1 << 3)  /* SP alignment check at EL1 */
#define SCTLR_SA0  (1 << 4)  /* SP alignment check at EL0 */
#define SCTLR_I    (1 << 12) /* instruction cache on */
/* Bits that are reserved-one in ARMv8.0: 29, 28, 23, 22, 20, 11. */
#define SCTLR_RES1 0x30d00800

/* MAIR_EL1, TCR_EL1 and TTBR values: see arch/mmu_config.h. */

#endif
