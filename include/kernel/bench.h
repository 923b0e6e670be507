/*
 * The benchmark harness behind "demo=bench" (make bench).
 *
 * A figure is the cost of one operation, in the unit the counter offers:
 * instructions under QEMU -icount shift=0, cycles anywhere else (see
 * include/hal/perf.h). Every figure is made the same way
 * (include/lib/bench_stats.h): a warm-up, then n timed runs of the
 * operation and n of a baseline that runs the same code with nothing in
 * between, and the difference of the two medians.
 *
 * The measured groups live beside this file's implementation:
 *   kernel/bench/bench_memory.c  frames and address spaces
 *   kernel/bench/bench_sched.c   run queue, kernel-thread IPC, interrupts
 *   kernel/bench/bench_user.c    tasks, and the user-mode benchmark programs
 *
 * Every figure is printed as it is made, as one machine-readable line
 *   bench: {"name": "...", "what": "...", "unit": "...", "value": N, "samples": K}
 * which scripts/bench.py collects; bench_print_table() prints them all
 * again as a table at the end.
 *
 * Runs on one thread (the demo's), which must not be preempted by other
 * benchmark work: nothing here is reentrant.
 */
#ifndef KERNEL_BENCH_H
#define KERNEL_BENCH_H

#include <stdbool.h>
#include <stdint.h>

/* The most samples one figure takes; more iterations are cut to this. */
#define BENCH_MAX_SAMPLES 4096
/* The most figures one run records. */
#define BENCH_MAX_RESULTS 64

struct bench_result {
    char name[40];  /* a stable identifier, e.g. "ipc.xas.rt.w4" */
    char what[88];  /* what it measures, for people */
    uint64_t value; /* in bench_unit() */
    uint64_t samples;
};

/* What a run measures and how often. */
struct bench_settings {
    uint64_t iterations;      /* timed runs per figure (default 1000) */
    uint64_t slow_iterations; /* for operations that spawn tasks (default 50) */
    const char *groups;       /* comma-separated group names, or "" for all */
    uint64_t ram_bytes;       /* how much RAM the machine has, for the figures' names */
};

/*
 * Starts the counters, checks whether the cycle counter counts
 * instructions (and prints what it found), and resets the results. Call
 * before anything else here.
 */
void bench_begin(const struct bench_settings *settings);

/* The settings bench_begin was given (iterations already capped). */
const struct bench_settings *bench_settings(void);

/* Whether group (e.g. "kipc") runs: it was listed, or no group was. */
bool bench_group_enabled(const char *group);

/* Whether group was listed by name (for groups that never run by default). */
bool bench_group_listed(const char *group);

/* "instructions" or "cycles": what every figure of this run counts. */
const char *bench_unit(void);

/* The counter every figure is read from: the cycle counter, which user-mode
 * benchmarks read too (PMCCNTR_EL0). */
uint64_t bench_now(void);

typedef void (*bench_op)(void *ctx);

/*
 * Runs op(ctx) a few times untimed, then n times timed (n capped at
 * BENCH_MAX_SAMPLES), and returns the median time of one run, call
 * included.
 */
uint64_t bench_time(bench_op op, void *ctx, uint64_t n);

/*
 * The figure for op: bench_time(op) - bench_time(baseline), clamped at 0.
 * baseline NULL means an empty function, for operations whose only
 * overhead is the call and the counter reads.
 */
uint64_t bench_net(bench_op op, bench_op baseline, void *ctx, uint64_t n);

/*
 * For two operations that must alternate (map, then unmap): runs first(ctx)
 * and second(ctx) in turn, timing each on its own, and stores the median
 * time of each, call included. Subtract bench_time of an empty operation
 * (baseline NULL in bench_net) from each.
 */
void bench_time_pair(bench_op first, bench_op second, void *ctx, uint64_t n, uint64_t *first_median,
                     uint64_t *second_median);

/* The median time of an empty operation: the harness's own overhead. */
uint64_t bench_overhead(uint64_t n);

/* Records a figure and prints its "bench: {...}" line. */
void bench_record(const char *name, const char *what, uint64_t value, uint64_t samples);

/* Says that a figure could not be made, and why ("bench: skipped ..."). */
void bench_skip(const char *name, const char *why);

/* Prints every recorded figure as a table. */
void bench_print_table(void);

/* The groups (each records its own figures; see the files named above). */
void bench_memory_run(void);
void bench_sched_run(void);
void bench_user_run(void);

#endif
