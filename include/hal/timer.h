/*
 * Time: a monotonic clock and one one-shot deadline, in nanoseconds.
 *
 * The kernel never asks for a periodic tick. It programs the timer for the
 * next moment something must happen (a time slice ends, a sleeper wakes) and
 * stops it when nothing will.
 */
#ifndef HAL_TIMER_H
#define HAL_TIMER_H

#include <stdint.h>

struct boot_info;

/* Reads the counter frequency and picks the timer and its interrupt number. */
void hal_timer_init(const struct boot_info *bi);

/* Nanoseconds since the counter started; never goes backwards. And the raw
 * counter ticks (with hal_timer_frequency below), for reports that want
 * exact values. Inline on the machine (arch/hal_timer.h):
 *   uint64_t hal_timer_now_ns(void);
 *   uint64_t hal_timer_counter(void);
 */
#ifdef HOST_BUILD
uint64_t hal_timer_now_ns(void);
uint64_t hal_timer_counter(void);
#else
#include "arch/hal_timer.h"
#endif
uint64_t hal_timer_frequency(void);

/* Fires the timer interrupt once now_ns() >= deadline_ns (at once if
 * already past). Inline on the machine, as the two above: a switch may
 * need it. */
#ifdef HOST_BUILD
void hal_timer_set_deadline(uint64_t deadline_ns);
#endif

/* Cancels the deadline: no timer interrupt until the next set_deadline. */
void hal_timer_stop(void);

/* The timer's interrupt number. */
uint32_t hal_timer_irq(void);

/*
 * Test hook: makes a level-triggered interrupt that nobody handles fire and
 * keep firing (the physical timer, which the kernel does not use, armed in
 * the past) and enables it. Returns its number.
 */
uint32_t hal_debug_fire_unhandled_irq(void);

#endif
