/*
 * The CPU's interrupt mask: PSTATE.I, seen through the DAIF register. While
 * it is set, IRQs stay pending at the GIC instead of interrupting us. The
 * everyday operations are inline (arch/hal_irq.h); here is the one that
 * briefly opens the window.
 */
#include "arch/sysreg.h"
#include "hal/irq.h"

void hal_irq_window(void)
{
    /* The isb makes sure the unmask has taken effect before the mask comes back. */
    __asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory");
}
