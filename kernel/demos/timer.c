/*
 * Demo "timer": a thread wakes every period_ms (default 100) and prints
 * how much time really passed, measured with the system counter (CNTVCT).
 *
 * The timer is one-shot: the kernel arms it for the next wake-up only. The
 * summary counts the timer interrupts that took: about one per tick, where
 * a blind periodic 10 ms tick would have needed period_ms / 10 per tick.
 *
 *   make run DEMO=timer CMDLINE="rounds=10 period_ms=50 exit"
 */
#include "hal/timer.h"
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/demo.h"
#include "kernel/irq.h"
#include "kernel/time_format.h"
#include "kernel/thread.h"

DEMO(timer, "timer", "ticks at a steady rate, measured with the counter (rounds=N period_ms=N)")
{
    uint64_t rounds = 5;
    uint64_t period_ms = 100;

    cmdline_get_u64(bi->cmdline, "rounds", &rounds);
    cmdline_get_u64(bi->cmdline, "period_ms", &period_ms);
    uint64_t period = period_ms * 1000000;
    uint64_t irqs_before = irq_count(hal_timer_irq());
    uint64_t start = hal_timer_now_ns();
    uint64_t start_ticks = hal_timer_counter();
    uint64_t last = start;

    kprintf("timer: counter at %llu Hz, a tick every %llu ms\n",
            (unsigned long long)hal_timer_frequency(), (unsigned long long)period_ms);
    for (uint64_t i = 1; i <= rounds; i++) {
        /* Sleep to an absolute target, so late wake-ups do not add up. */
        uint64_t target = start + i * period;
        uint64_t now = hal_timer_now_ns();
        if (target > now) {
            thread_sleep(target - now);
        }
        now = hal_timer_now_ns();
        kprintf("timer: tick %llu at " MS_FMT " ms, interval " MS_FMT " ms\n",
                (unsigned long long)i, MS_ARGS(now - start), MS_ARGS(now - last));
        last = now;
    }
    uint64_t ticks = hal_timer_counter() - start_ticks;
    kprintf("timer: %llu ticks of %llu ms took " MS_FMT " ms by the counter (%llu counter ticks)\n",
            (unsigned long long)rounds, (unsigned long long)period_ms, MS_ARGS(last - start),
            (unsigned long long)ticks);
    kprintf("timer: %llu timer interrupts for %llu ticks\n",
            (unsigned long long)(irq_count(hal_timer_irq()) - irqs_before),
            (unsigned long long)rounds);
}
