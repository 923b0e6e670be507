/*
 * Demo "sleep": sleeping threads wake in deadline order, never early, and
 * a high-priority thread that wakes up runs at once, even while a
 * low-priority thread spins without ever yielding.
 *
 *   make run DEMO=sleep CMDLINE="rounds=3 exit"
 */
#include "hal/timer.h"
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/demo.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "kernel/time_format.h"

static const uint64_t sleep_periods_ms[] = {30, 10, 20};
static uint64_t sleep_start;

/* Sleeps until ms after the scene began: every deadline is fixed at the
 * start, so however slowly the threads get created, they wake in order. */
static void sleeper_main(void *arg)
{
    uint64_t ms = *(const uint64_t *)arg;
    uint64_t target = sleep_start + ms * 1000000;
    uint64_t now = hal_timer_now_ns();

    thread_sleep(target > now ? target - now : 0);
    uint64_t slept = hal_timer_now_ns() - sleep_start;
    kprintf("sleep: s%llu woke after " MS_FMT " ms (asked %llu ms: %s)\n", (unsigned long long)ms,
            MS_ARGS(slept), (unsigned long long)ms, slept >= ms * 1000000 ? "not early" : "EARLY");
}

static volatile int spinner_stop;

static void spinner_main(void *arg)
{
    (void)arg;
    while (!spinner_stop) {
    }
}

static void scene_order(void)
{
    uint32_t ids[3];

    kprintf("sleep: scene 1: three threads sleep 30, 10 and 20 ms\n");
    sleep_start = hal_timer_now_ns();
    for (int i = 0; i < 3; i++) {
        struct thread *t = thread_create("sleeper", CONFIG_DEFAULT_PRIORITY + 1, sleeper_main,
                                         (void *)&sleep_periods_ms[i]);
        KASSERT(t != NULL);
        ids[i] = t->id;
    }
    for (int i = 0; i < 3; i++) {
        thread_join(ids[i]);
    }
}

static void scene_priority(uint64_t rounds)
{
    kprintf("sleep: scene 2: a low-priority thread spins; we sleep 20 ms at high priority\n");
    struct thread *spinner = thread_create("spinner", 1, spinner_main, NULL);
    KASSERT(spinner != NULL);
    uint32_t spinner_id = spinner->id;
    for (uint64_t i = 1; i <= rounds; i++) {
        uint64_t before = hal_timer_now_ns();
        thread_sleep(20 * 1000000);
        uint64_t slept = hal_timer_now_ns() - before;
        kprintf("sleep: high-priority wake %llu after " MS_FMT " ms, spinner %s (%s)\n",
                (unsigned long long)i, MS_ARGS(slept), thread_state_name(spinner->state),
                slept >= 20 * 1000000 ? "not early" : "EARLY");
    }
    spinner_stop = 1;
    thread_join(spinner_id);
}

DEMO(sleep, "sleep", "sleepers wake in deadline order; high priority wakes first (rounds=N)")
{
    uint64_t rounds = 3;

    cmdline_get_u64(bi->cmdline, "rounds", &rounds);
    scene_order();
    scene_priority(rounds);
}
