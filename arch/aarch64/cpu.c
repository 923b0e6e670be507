/* The HAL's view of the current CPU. */
#include "arch/sysreg.h"
#include "hal/cpu.h"

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
