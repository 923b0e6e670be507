/*
 * Demo "preempt": the seed's Thread A/B. Threads that spin forever and
 * never yield still take turns, because the timer ends each one's time
 * slice and the scheduler moves it to the back of its queue. Each thread
 * prints a line when it gets the CPU for a new slice, with the number of
 * loops it has done so far.
 *
 *   make run DEMO=preempt CMDLINE="threads=2 rounds=6 exit"
 */
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/demo.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "lib/printf.h"

#define PREEMPT_MAX_THREADS 8

static volatile uint32_t last_runner = ~0u;
static volatile uint64_t slices[PREEMPT_MAX_THREADS];
static volatile int stop_spinning;

static void spinner_main(void *arg)
{
    uint32_t self = (uint32_t)(uintptr_t)arg;
    uint64_t loops = 0;

    while (!stop_spinning) {
        if (last_runner != self && !stop_spinning) {
            /* Someone else ran since our last loop: this is a new slice. */
            last_runner = self;
            slices[self]++;
            kprintf("%c: loop count %llu (slice %llu)\n", 'A' + self, (unsigned long long)loops,
                    (unsigned long long)slices[self]);
        }
        loops++;
    }
}

static int all_reached(uint64_t threads, uint64_t rounds)
{
    for (uint64_t i = 0; i < threads; i++) {
        if (slices[i] < rounds) {
            return 0;
        }
    }
    return 1;
}

DEMO(preempt, "preempt", "threads that never yield still share the CPU (threads=N rounds=N)")
{
    uint64_t threads = 2;
    uint64_t rounds = 5;
    uint32_t ids[PREEMPT_MAX_THREADS];

    cmdline_get_u64(bi->cmdline, "threads", &threads);
    cmdline_get_u64(bi->cmdline, "rounds", &rounds);
    if (threads < 1 || threads > PREEMPT_MAX_THREADS) {
        threads = 2;
    }
    kprintf("preempt: %llu threads spin without ever yielding; %llu ms slices\n",
            (unsigned long long)threads, (unsigned long long)(sched_slice_ns() / 1000000));
    /* Below us: we sleep, and when we wake up we preempt whoever spins. */
    for (uint64_t i = 0; i < threads; i++) {
        char name[16];
        ksnprintf(name, sizeof(name), "spinner %c", (char)('A' + i)); /* as its lines say */
        struct thread *t =
            thread_create(name, CONFIG_DEFAULT_PRIORITY - 1, spinner_main, (void *)(uintptr_t)i);
        KASSERT(t != NULL);
        ids[i] = t->id;
    }
    while (!all_reached(threads, rounds)) {
        thread_sleep(sched_slice_ns() / 2);
    }
    stop_spinning = 1;
    for (uint64_t i = 0; i < threads; i++) {
        thread_join(ids[i]);
    }
    kprintf("preempt: every thread got at least %llu slices; %llu context switches\n",
            (unsigned long long)rounds, (unsigned long long)sched_switch_count());
}
