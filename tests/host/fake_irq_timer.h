/* Host-only control of the fake timer (tests/host/fake_irq_timer.c). */
#ifndef TESTS_HOST_FAKE_IRQ_TIMER_H
#define TESTS_HOST_FAKE_IRQ_TIMER_H

#include <stdbool.h>

/* Advances the fake clock to the armed deadline and delivers the timer
 * interrupt. Returns false when no deadline is armed. */
bool fake_timer_fire_next(void);

#endif
