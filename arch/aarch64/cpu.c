/* The HAL's view of the current CPU. */
#include "arch/sysreg.h"
#include "hal/cpu.h"
#include "hal/user.h"

unsigned hal_cpu_current_el(void)
{
    return (unsigned)((sysreg_read_currentel() >> 2) & 3);
}

void hal_cpu_idle(void)
{
    __asm__ volatile("wfi" ::: "memory");
}

void hal_cpu_halt(void)
{
    sysreg_write_daif(0xf << 6);
    for (;;) {
        __asm__ volatile("wfi" ::: "memory");
    }
}

void hal_debug_undefined_instruction(void)
{
    /* udf #0 is permanently undefined: it raises "Unknown reason" (EC 0x00). */
    __asm__ volatile("udf #0" ::: "memory");
}

static int pan_enabled;

/*
 * Privileged Access Never (ARMv8.1): while PSTATE.PAN is set, a kernel load
 * or store to a page user mode can access faults. The kernel never needs
 * one (kernel/umem.c copies through the linear map instead), so with PAN a
 * stray dereference of a user pointer is caught at once. Clearing
 * SCTLR_EL1.SPAN makes every exception entry set PAN again.
 * Cortex-A53 (ARMv8.0) has no PAN; Cortex-A76 and "max" do.
 */
void arch_cpu_enable_pan(void)
{
    if (((sysreg_read_id_aa64mmfr1_el1() >> 20) & 0xf) == 0) {
        return;
    }
    sysreg_write_sctlr_el1(sysreg_read_sctlr_el1() & ~(1ULL << 23)); /* SPAN = 0 */
    __asm__ volatile(".inst 0xd500419f" ::: "memory");               /* msr pan, #1 */
    arch_isb();
    pan_enabled = 1;
}

int hal_pan_enabled(void)
{
    return pan_enabled;
}
