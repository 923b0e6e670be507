/*
 * The ARM generic timer (ARM DDI 0487, chapter D11): a system counter that
 * ticks at CNTFRQ_EL0 Hz (62.5 MHz on QEMU virt), and per-CPU timers that
 * raise their interrupt when the counter reaches a compare value.
 *
 * We use the virtual timer (CNTV_*), the one meant for an OS at EL1: it
 * works whether or not a hypervisor sits at EL2, and boot.S made the
 * virtual counter equal the physical one (CNTVOFF_EL2 = 0). Its interrupt
 * is a PPI whose number comes from the device tree (27 on QEMU virt).
 *
 * The timer interrupt is level-triggered: it stays raised while the
 * counter is past the compare value and the timer is enabled, until the
 * kernel moves the deadline or stops the timer.
 */
#include "arch/sysreg.h"
#include "hal/irq.h"
#include "hal/timer.h"
#include "kernel/boot_info.h"

#define CNT_CTL_IMASK (1u << 1)

uint64_t timer_hz;
uint64_t timer_ns_per_tick;
static uint32_t timer_irq;
static uint32_t spare_timer_irq;

void hal_timer_init(const struct boot_info *bi)
{
    timer_hz = sysreg_read_cntfrq_el0();
    timer_ns_per_tick = NS_PER_S % timer_hz == 0 ? NS_PER_S / timer_hz : 0;
    timer_irq = bi->timer_irq_virt ? bi->timer_irq_virt : 27;
    spare_timer_irq = bi->timer_irq_phys ? bi->timer_irq_phys : 30;
    sysreg_write_cntv_ctl_el0(0);
    hal_irq_set_trigger(timer_irq, IRQ_TRIGGER_LEVEL);
}

uint64_t hal_timer_frequency(void)
{
    return timer_hz;
}

void hal_timer_stop(void)
{
    sysreg_write_cntv_ctl_el0(0);
    arch_isb();
}

uint32_t hal_timer_irq(void)
{
    return timer_irq;
}

uint32_t hal_debug_fire_unhandled_irq(void)
{
    /* A compare value of 0 is always in the past: the line stays raised. */
    sysreg_write_cntp_cval_el0(0);
    sysreg_write_cntp_ctl_el0(CNT_CTL_ENABLE);
    arch_isb();
    hal_irq_enable(spare_timer_irq);
    return spare_timer_irq;
}
