/* kernel_irq: dispatching interrupts to their handlers (see include/kernel/irq.h). */
#include "kernel/irq.h"

#include "hal/irq.h"
#include "kernel/klock.h"
#include "kernel/thread.h"
#include "kernel/trace.h"
#include "lib/printf.h"
#include "uapi/errors.h"

struct irq_entry {
    irq_handler_fn handler;
    void *ctx;
    uint64_t count;
    bool kernel_owned; /* a line of a device the kernel keeps (irq_reserve) */
};

static struct irq_entry irq_table[IRQ_MAX];
static unsigned irq_depth;
static uint64_t unhandled;

int irq_register(uint32_t irq, irq_handler_fn handler, void *ctx)
{
    KLOCK_ASSERT_HELD();
    if (irq >= IRQ_MAX || !handler) {
        return E_INVAL;
    }
    if (irq_table[irq].handler) {
        return E_BUSY;
    }
    irq_table[irq].handler = handler;
    irq_table[irq].ctx = ctx;
    hal_irq_enable(irq);
    return 0;
}

void irq_reserve(uint32_t irq)
{
    KLOCK_ASSERT_HELD();
    if (irq < IRQ_MAX) {
        irq_table[irq].kernel_owned = true;
    }
}

bool irq_is_reserved(uint32_t irq)
{
    return irq < IRQ_MAX && irq_table[irq].kernel_owned;
}

void irq_unregister(uint32_t irq)
{
    KLOCK_ASSERT_HELD();
    if (irq < IRQ_MAX) {
        hal_irq_disable(irq);
        irq_table[irq].handler = NULL;
    }
}

bool irq_in_handler(void)
{
    return irq_depth > 0;
}

uint64_t irq_unhandled_count(void)
{
    return unhandled;
}

uint64_t irq_count(uint32_t irq)
{
    return irq < IRQ_MAX ? irq_table[irq].count : 0;
}

/*
 * Called by the architecture with interrupts masked, for one acknowledged
 * interrupt. The end of interrupt comes before the preemption point: the
 * thread we may switch to must not find this interrupt still active.
 */
void kernel_irq(uint32_t irq)
{
    trace_irq(irq);
    irq_depth++;
    if (irq < IRQ_MAX && irq_table[irq].handler) {
        irq_table[irq].count++;
        irq_table[irq].handler(irq, irq_table[irq].ctx);
    } else {
        unhandled++;
        kprintf("irq: interrupt %u has no handler; masking it\n", irq);
        hal_irq_disable(irq);
    }
    hal_irq_eoi(irq);
    irq_depth--;
    sched_preempt_point();
}
