/*
 * Lazy FP/SIMD switching (see include/hal/fpsimd.h for the why).
 *
 * CPACR_EL1.FPEN decides who may use FP/SIMD: 0b11 everyone, 0b01 EL1 only
 * (EL0's FP instructions trap to EL1 with EC 0x07). While the registers
 * hold the running thread's values, FPEN is 0b11; after a switch to any
 * other thread it is 0b01, until that thread's first FP instruction.
 */
#include "arch/hal_fpsimd.h"
#include "arch/sysreg.h"
#include "hal/fpsimd.h"

struct fpsimd_cpu fpsimd_cpu = {.el0_access = 1}; /* as boot.S leaves CPACR_EL1 */

/* The register moves need FP instructions, which the rest of the kernel is
 * compiled without; these two are written in assembly for that reason. */
static void fpsimd_save(struct hal_fpsimd_state *s)
{
    __asm__ volatile(".arch_extension fp\n\t"
                     ".arch_extension simd\n\t"
                     "stp q0, q1, [%0, #0]\n\tstp q2, q3, [%0, #32]\n\t"
                     "stp q4, q5, [%0, #64]\n\tstp q6, q7, [%0, #96]\n\t"
                     "stp q8, q9, [%0, #128]\n\tstp q10, q11, [%0, #160]\n\t"
                     "stp q12, q13, [%0, #192]\n\tstp q14, q15, [%0, #224]\n\t"
                     "stp q16, q17, [%0, #256]\n\tstp q18, q19, [%0, #288]\n\t"
                     "stp q20, q21, [%0, #320]\n\tstp q22, q23, [%0, #352]\n\t"
                     "stp q24, q25, [%0, #384]\n\tstp q26, q27, [%0, #416]\n\t"
                     "stp q28, q29, [%0, #448]\n\tstp q30, q31, [%0, #480]\n\t"
                     "mrs x9, fpsr\n\tstr x9, [%0, #512]\n\t"
                     "mrs x9, fpcr\n\tstr x9, [%0, #520]"
                     :
                     : "r"(s)
                     : "x9", "memory");
}

static void fpsimd_load(const struct hal_fpsimd_state *s)
{
    __asm__ volatile(".arch_extension fp\n\t"
                     ".arch_extension simd\n\t"
                     "ldp q0, q1, [%0, #0]\n\tldp q2, q3, [%0, #32]\n\t"
                     "ldp q4, q5, [%0, #64]\n\tldp q6, q7, [%0, #96]\n\t"
                     "ldp q8, q9, [%0, #128]\n\tldp q10, q11, [%0, #160]\n\t"
                     "ldp q12, q13, [%0, #192]\n\tldp q14, q15, [%0, #224]\n\t"
                     "ldp q16, q17, [%0, #256]\n\tldp q18, q19, [%0, #288]\n\t"
                     "ldp q20, q21, [%0, #320]\n\tldp q22, q23, [%0, #352]\n\t"
                     "ldp q24, q25, [%0, #384]\n\tldp q26, q27, [%0, #416]\n\t"
                     "ldp q28, q29, [%0, #448]\n\tldp q30, q31, [%0, #480]\n\t"
                     "ldr x9, [%0, #512]\n\tmsr fpsr, x9\n\t"
                     "ldr x9, [%0, #520]\n\tmsr fpcr, x9"
                     :
                     : "r"(s)
                     : "x9", "memory");
}

void hal_fpsimd_init(struct hal_fpsimd_state *state)
{
    for (unsigned i = 0; i < 64; i++) {
        state->v[i] = 0;
    }
    state->fpsr = 0;
    state->fpcr = 0;
}

void hal_fpsimd_forget(struct hal_fpsimd_state *state)
{
    if (fpsimd_cpu.owner == state) {
        fpsimd_cpu.owner = 0;
    }
}

/* Called by arch_exception for EC 0x07 from EL0: hand the registers over
 * to the running thread. EL1 may always use them (FPEN never traps EL1). */
void fpsimd_trap(void)
{
    struct hal_fpsimd_state *running = kernel_fpsimd_running();

    if (fpsimd_cpu.owner && fpsimd_cpu.owner != running) {
        fpsimd_save(fpsimd_cpu.owner);
    }
    fpsimd_load(running);
    fpsimd_cpu.owner = running;
    fpsimd_set_el0_access(true);
}
