/*
 * The ARMv8 Performance Monitors (ARM DDI 0487, chapter D11), as
 * include/hal/perf.h offers them: the cycle counter PMCCNTR_EL0, and event
 * counter 0 programmed with event 0x08, INST_RETIRED.
 *
 * Set-up, register by register:
 *   PMCR_EL0        E (bit 0) enables the counters, P (1) and C (2) reset
 *                   the event counters and the cycle counter, LC (6) makes
 *                   the cycle counter 64 bits wide;
 *   PMEVTYPER0_EL0  event 0x08; the filter bits are 0, so it counts at EL0
 *                   and at EL1;
 *   PMCCFILTR_EL0   0: the cycle counter also counts at EL0 and EL1;
 *   PMCNTENSET_EL0  bit 31 runs the cycle counter, bit 0 event counter 0;
 *   PMUSERENR_EL0   EN (0), CR (2) and ER (3) let EL0 read the counters
 *                   (otherwise an EL0 read traps with EC 0x18).
 *
 * On QEMU 7.2 INST_RETIRED exists only with -icount and a fixed shift:
 * PMCEID0_EL0 bit 8 is then set. Without it the event counter stays at 0.
 */
#include "arch/sysreg.h"
#include "hal/perf.h"

#define PMCR_E  (1u << 0)
#define PMCR_P  (1u << 1)
#define PMCR_C  (1u << 2)
#define PMCR_LC (1u << 6)

#define PMCNTEN_CYCLES (1u << 31)
#define PMCNTEN_EVENT0 (1u << 0)

#define PMU_EVENT_INST_RETIRED 0x08

#define PMUSERENR_EN (1u << 0)
#define PMUSERENR_CR (1u << 2)
#define PMUSERENR_ER (1u << 3)

/* ARMv8.0 event counters are 32 bits wide: a difference of two readings
 * counts only in its low 32 bits. */
#define PMEVCNTR_MASK 0xffffffffULL

/* How many nops the long calibration sequence has more than the short one. */
#define CALIBRATION_SPAN 64
#define STRINGIFY(x)     #x
#define NOPS(n)          ".rept " STRINGIFY(n) "\n\tnop\n\t.endr\n\t"

void hal_perf_init(void)
{
    sysreg_write_pmcntenclr_el0(PMCNTEN_CYCLES | PMCNTEN_EVENT0);
    sysreg_write_pmevtyper0_el0(PMU_EVENT_INST_RETIRED);
    sysreg_write_pmccfiltr_el0(0);
    sysreg_write_pmovsclr_el0(PMCNTEN_CYCLES | PMCNTEN_EVENT0);
    sysreg_write_pmcr_el0(PMCR_E | PMCR_P | PMCR_C | PMCR_LC);
    sysreg_write_pmcntenset_el0(PMCNTEN_CYCLES | PMCNTEN_EVENT0);
    arch_isb();
}

uint64_t hal_perf_cycles(void)
{
    arch_isb(); /* no earlier instruction may still be in flight */
    return sysreg_read_pmccntr_el0();
}

bool hal_perf_instructions_supported(void)
{
    return (sysreg_read_pmceid0_el0() >> PMU_EVENT_INST_RETIRED) & 1;
}

void hal_perf_user_access(bool allow)
{
    sysreg_write_pmuserenr_el0(allow ? PMUSERENR_EN | PMUSERENR_CR | PMUSERENR_ER : 0);
    arch_isb();
}

/*
 * Each sequence reads a counter, runs 0 or CALIBRATION_SPAN nops, and reads
 * it again: one asm statement, so the compiler can put nothing in between.
 */
#define CALIBRATE(reg, extra)                                                                      \
    ({                                                                                             \
        uint64_t before, after;                                                                    \
        __asm__ volatile("isb\n\t"                                                                 \
                         "mrs %0, " reg "\n\t" extra "mrs %1, " reg                                \
                         : "=&r"(before), "=r"(after)::"memory");                                  \
        after - before;                                                                            \
    })

void hal_perf_calibrate(struct hal_perf_calibration *out)
{
    out->span = CALIBRATION_SPAN;
    out->cycles_short = CALIBRATE("pmccntr_el0", "");
    out->cycles_long = CALIBRATE("pmccntr_el0", NOPS(CALIBRATION_SPAN));
    out->instructions_short = CALIBRATE("pmevcntr0_el0", "") & PMEVCNTR_MASK;
    out->instructions_long = CALIBRATE("pmevcntr0_el0", NOPS(CALIBRATION_SPAN)) & PMEVCNTR_MASK;
}
