/*
 * The architecture's inline half of include/hal/timer.h: reading the
 * clock, which every switch that starts a time slice does.
 */
#ifndef ARCH_HAL_TIMER_H
#define ARCH_HAL_TIMER_H

#include <stdint.h>

#include "arch/sysreg.h"

#define NS_PER_S 1000000000ULL

extern uint64_t timer_hz; /* CNTFRQ_EL0, read once at boot (arch/aarch64/timer.c) */
/* 10^9 / timer_hz when that is a whole number (16 on QEMU virt), else 0. */
extern uint64_t timer_ns_per_tick;

static inline uint64_t hal_timer_counter(void)
{
    arch_isb(); /* keep the read from being done early, out of order */
    return sysreg_read_cntvct_el0();
}

/* ticks * 10^9 / hz without overflowing 64 bits for any realistic uptime. */
static inline uint64_t hal_timer_now_ns(void)
{
    uint64_t ticks = hal_timer_counter();

    if (__builtin_expect(timer_ns_per_tick != 0, 1)) {
        return ticks * timer_ns_per_tick; /* overflows after 584 years */
    }
    return (ticks / timer_hz) * NS_PER_S + (ticks % timer_hz) * NS_PER_S / timer_hz;
}

#define CNT_CTL_ENABLE (1u << 0)

static inline void hal_timer_set_deadline(uint64_t deadline_ns)
{
    uint64_t ticks;

    /* Round up, so the interrupt never comes before the deadline. */
    if (__builtin_expect(timer_ns_per_tick != 0, 1)) {
        ticks = deadline_ns / timer_ns_per_tick + (deadline_ns % timer_ns_per_tick != 0);
    } else {
        ticks = (deadline_ns / NS_PER_S) * timer_hz +
                ((deadline_ns % NS_PER_S) * timer_hz + NS_PER_S - 1) / NS_PER_S;
    }
    sysreg_write_cntv_cval_el0(ticks);
    sysreg_write_cntv_ctl_el0(CNT_CTL_ENABLE);
    arch_isb();
}

#endif
