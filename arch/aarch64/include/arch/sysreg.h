/*
 * One-line accessors for the AArch64 system registers the kernel uses, so no
 * raw mrs/msr is scattered through C. Each line names the register; the
 * ARM Architecture Reference Manual (ARM DDI 0487, chapter D17) has the rest.
 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <stdint.h>

#define SYSREG_RO(reg)                                                                             \
    static inline uint64_t sysreg_read_##reg(void)                                                 \
    {                                                                                              \
        uint64_t v;                                                                                \
        __asm__ volatile("mrs %0, " #reg : "=r"(v));                                               \
        return v;                                                                                  \
    }

#define SYSREG_RW(reg)                                                                             \
    SYSREG_RO(reg)                                                                                 \
    static inline void sysreg_write_##reg(uint64_t v)                                              \
    {                                                                                              \
        __asm__ volatile("msr " #reg ", %0" ::"r"(v) : "memory");                                  \
    }

SYSREG_RO(currentel)        /* CurrentEL: the exception level, in bits [3:2] */
SYSREG_RO(mpidr_el1)        /* Multiprocessor Affinity: which core this is */
SYSREG_RO(midr_el1)         /* Main ID: implementer, part number, revision */
SYSREG_RO(id_aa64mmfr0_el1) /* Memory model features: physical address range */
SYSREG_RO(id_aa64mmfr1_el1) /* More memory features: PAN, VHE */
SYSREG_RO(esr_el1)          /* Exception Syndrome: why the last exception happened */
SYSREG_RO(far_el1)          /* Fault Address: the address of the last abort */
SYSREG_RO(cntfrq_el0)       /* Counter frequency, in Hz */
SYSREG_RO(cntvct_el0)       /* Virtual count: the system counter as EL1 sees it */
SYSREG_RO(par_el1)          /* Physical Address Register: the result of an "at" probe */
SYSREG_RW(sctlr_el1)        /* System Control: MMU, caches, alignment checks */
SYSREG_RW(tcr_el1)          /* Translation Control: sizes and attributes of both halves */
SYSREG_RW(ttbr0_el1)        /* Translation table base for the lower half (user) */
SYSREG_RW(ttbr1_el1)        /* Translation table base for the upper half (kernel) */
SYSREG_RW(mair_el1)         /* Memory Attribute Indirection: the 8 memory types */
SYSREG_RW(vbar_el1)         /* Vector Base: where the exception vectors are */
SYSREG_RW(elr_el1)          /* Exception Link: where eret returns to */
SYSREG_RW(spsr_el1)         /* Saved Program Status: the state eret restores */
SYSREG_RW(daif)             /* The interrupt masks: Debug, SError, IRQ, FIQ */
SYSREG_RW(cntv_ctl_el0)     /* Virtual timer control: enable, interrupt mask, status */
SYSREG_RW(cntv_cval_el0)    /* Virtual timer compare value: fire when the count reaches it */
SYSREG_RW(cntp_ctl_el0)     /* Physical timer control */
SYSREG_RW(cntp_cval_el0)    /* Physical timer compare value */
SYSREG_RW(cntkctl_el1)      /* Which counters and timers EL0 may read */
/* The performance monitors (ARM DDI 0487, chapter D11 "The Performance Monitors Extension") */
SYSREG_RW(pmcr_el0)       /* PMU control: enable, reset counters, 64-bit cycle counter */
SYSREG_RW(pmcntenset_el0) /* Which counters run: bit 31 the cycle counter, bit n counter n */
SYSREG_RW(pmcntenclr_el0) /* Stops counters (write 1 to a bit) */
SYSREG_RW(pmovsclr_el0)   /* Counter overflow flags (write 1 to clear) */
SYSREG_RW(pmccfiltr_el0)  /* Cycle counter filter: which exception levels it counts in */
SYSREG_RW(pmevtyper0_el0) /* Event counter 0: which event it counts, and where */
SYSREG_RW(pmevcntr0_el0)  /* Event counter 0: the count (32 bits on ARMv8.0) */
SYSREG_RW(pmccntr_el0)    /* The cycle counter */
SYSREG_RW(pmuserenr_el0)  /* Which PMU registers EL0 may access */
SYSREG_RO(pmceid0_el0)    /* Common event identification: bit n set if event n exists */

static inline void arch_isb(void)
{
    __asm__ volatile("isb" ::: "memory");
}

static inline void arch_dsb_ish(void)
{
    __asm__ volatile("dsb ish" ::: "memory");
}

/* Invalidates every EL1 TLB entry on all cores of the inner shareable domain. */
static inline void arch_tlbi_vmalle1is(void)
{
    __asm__ volatile("dsb ishst\n\ttlbi vmalle1is\n\tdsb ish\n\tisb" ::: "memory");
}

static inline uint64_t arch_read_fp(void)
{
    uint64_t fp;
    __asm__ volatile("mov %0, x29" : "=r"(fp));
    return fp;
}

#endif
