/*
 * Demo "bench": what the kernel's hot paths cost, in instructions (under
 * QEMU -icount shift=0) or cycles (anywhere else). make bench runs it; see
 * docs/benchmarks.md for the method and the figures.
 *
 *   make run DEMO=bench CMDLINE="iterations=1000 exit" \
 *            QEMU_EXTRA="-icount shift=0,sleep=off"
 *
 * Command line:
 *   iterations=N        timed runs per figure (default 1000, at most 4096)
 *   slow_iterations=N   the same for figures that spawn a task (default 50)
 *   bench=a,b,...       only these groups: frame, vspace, sched, kipc, irq,
 *                       task, user (default: all); "trace" (never part of
 *                       all) makes one call for scripts/bench.py's trace
 *
 * The kernel's own figures come first, then the ones user programs measure,
 * then the table. The free-frame count must be the same before and after.
 */
#include "kernel/bench.h"
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/demo.h"
#include "kernel/frame.h"
#include "kernel/thread.h"
#include "lib/printf.h"

DEMO(bench, "bench", "instruction counts of the hot paths (iterations=N bench=groups)")
{
    static char groups[64];
    struct bench_settings s = {.iterations = 1000, .slow_iterations = 50, .groups = groups};
    struct frame_allocator *fa = frame_global();
    uint64_t free_before = frame_free_count(fa);

    cmdline_get_u64(bi->cmdline, "iterations", &s.iterations);
    cmdline_get_u64(bi->cmdline, "slow_iterations", &s.slow_iterations);
    cmdline_get(bi->cmdline, "bench", groups, sizeof(groups));
    for (unsigned i = 0; i < bi->ram_count; i++) {
        s.ram_bytes += bi->ram[i].size;
    }

    bench_begin(&s);
    kprintf("bench: %llu iterations per figure (%llu for spawns), groups: %s\n",
            (unsigned long long)bench_settings()->iterations,
            (unsigned long long)bench_settings()->slow_iterations, groups[0] ? groups : "all");
    bench_memory_run();
    bench_sched_run();
    bench_user_run();
    bench_print_table();
    kprintf("bench: done; free frames %llu before, %llu after, %u threads\n",
            (unsigned long long)free_before, (unsigned long long)frame_free_count(fa),
            thread_count());
}
