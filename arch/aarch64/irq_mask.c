/*
 * The CPU's interrupt mask: PSTATE.I, seen through the DAIF register. While
 * it is set, IRQs stay pending at the GIC instead of interrupting us.
 */
#include "arch/sysreg.h"
#include "hal/irq.h"

unsigned long hal_irq_save(void)
{
    unsigned long daif = sysreg_read_daif();

    __asm__ volatile("msr daifset, #2" ::: "memory");
    return daif;
}

void hal_irq_restore(unsigned long state)
{
    sysreg_write_daif(state);
}

void hal_irq_local_enable(void)
{
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}

void hal_irq_window(void)
{
    /* The isb makes sure the unmask has taken effect before the mask comes back. */
    __asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory");
}
