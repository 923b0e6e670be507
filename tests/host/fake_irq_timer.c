/*
 * The host test build's interrupt controller, interrupt mask and timer.
 * There is no real interrupt on the host: time stands still until every
 * thread waits, and then the fake idle (fake_context.c) jumps the clock to
 * the armed deadline and delivers the timer interrupt through kernel_irq,
 * exactly as the hardware would.
 */
#include <stdbool.h>
#include <stdint.h>

#include "fake_irq_timer.h"
#include "hal/irq.h"
#include "hal/timer.h"

#define FAKE_TIMER_IRQ   27
#define FAKE_NO_DEADLINE UINT64_MAX

static uint64_t fake_now_ns;
static uint64_t fake_deadline = FAKE_NO_DEADLINE;

void hal_irq_init(const struct boot_info *bi)
{
    (void)bi;
}

void hal_irq_enable(uint32_t irq)
{
    (void)irq;
}

void hal_irq_disable(uint32_t irq)
{
    (void)irq;
}

void hal_irq_set_priority(uint32_t irq, uint8_t priority)
{
    (void)irq;
    (void)priority;
}

void hal_irq_set_target(uint32_t irq, uint8_t cpu_mask)
{
    (void)irq;
    (void)cpu_mask;
}

void hal_irq_set_trigger(uint32_t irq, enum irq_trigger trigger)
{
    (void)irq;
    (void)trigger;
}

void hal_irq_raise(uint32_t irq)
{
    (void)irq;
}

uint32_t hal_irq_acknowledge(void)
{
    return HAL_IRQ_NONE;
}

void hal_irq_eoi(uint32_t irq)
{
    (void)irq;
}

uint64_t hal_irq_spurious_count(void)
{
    return 0;
}

/* The CPU's interrupt mask, tracked so that the kernel lock's checks
 * (include/kernel/klock.h) hold on the host as they do on the machine.
 * Like a CPU out of reset, it starts masked. */
static bool fake_masked = true;

unsigned long hal_irq_save(void)
{
    unsigned long was = fake_masked;

    fake_masked = true;
    return was;
}

void hal_irq_restore(unsigned long state)
{
    fake_masked = state != 0;
}

void hal_irq_local_enable(void)
{
    fake_masked = false;
}

bool hal_irq_local_enabled(void)
{
    return !fake_masked;
}

/* No interrupt is ever pending on the host: time stands still. */
void hal_irq_window(void)
{
}

void hal_timer_init(const struct boot_info *bi)
{
    (void)bi;
}

uint64_t hal_timer_now_ns(void)
{
    return fake_now_ns;
}

uint64_t hal_timer_counter(void)
{
    return fake_now_ns / 16; /* 62.5 MHz, as on QEMU */
}

uint64_t hal_timer_frequency(void)
{
    return 62500000;
}

void hal_timer_set_deadline(uint64_t deadline_ns)
{
    fake_deadline = deadline_ns;
}

void hal_timer_stop(void)
{
    fake_deadline = FAKE_NO_DEADLINE;
}

uint32_t hal_timer_irq(void)
{
    return FAKE_TIMER_IRQ;
}

bool fake_timer_fire_next(void)
{
    if (fake_deadline == FAKE_NO_DEADLINE) {
        return false;
    }
    if (fake_now_ns < fake_deadline) {
        fake_now_ns = fake_deadline;
    }
    fake_deadline = FAKE_NO_DEADLINE;
    kernel_irq(FAKE_TIMER_IRQ);
    return true;
}
