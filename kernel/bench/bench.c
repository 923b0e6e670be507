/*
 * The benchmark harness (see include/kernel/bench.h): the counter, the
 * timing loop, and the record of figures.
 *
 * Which unit? The harness does not take -icount on trust. It asks the PMU
 * to count two code sequences that differ by exactly 64 nops: when both the
 * cycle counter and INST_RETIRED advance by exactly 64 more, and agree on
 * the short sequence too, the cycle counter is counting instructions (QEMU
 * -icount shift=0). Anything else, and the figures are labelled cycles.
 */
#include "kernel/bench.h"

#include "hal/irq.h"
#include "hal/perf.h"
#include "lib/bench_stats.h"
#include "lib/printf.h"
#include "lib/string.h"

static struct bench_settings settings;
static bool counts_instructions;
static struct bench_result results[BENCH_MAX_RESULTS];
static unsigned result_count;
static uint64_t samples[BENCH_MAX_SAMPLES];
static uint64_t samples_second[BENCH_MAX_SAMPLES];

static void bench_check_counter(void)
{
    struct hal_perf_calibration cal;
    unsigned long flags = hal_irq_save(); /* no interrupt inside the measured sequences */

    hal_perf_calibrate(&cal);
    hal_irq_restore(flags);

    bool inst_supported = hal_perf_instructions_supported();
    bool cycles_exact = bench_counts_instructions(cal.cycles_short, cal.cycles_long, cal.span);
    bool inst_exact =
        bench_counts_instructions(cal.instructions_short, cal.instructions_long, cal.span);
    kprintf("bench: PMU check, two sequences %u nops apart: cycle counter +%llu and +%llu, "
            "INST_RETIRED (%s) +%llu and +%llu\n",
            cal.span, (unsigned long long)cal.cycles_short, (unsigned long long)cal.cycles_long,
            inst_supported ? "supported" : "not supported",
            (unsigned long long)cal.instructions_short, (unsigned long long)cal.instructions_long);
    counts_instructions =
        inst_supported && cycles_exact && inst_exact && cal.cycles_short == cal.instructions_short;
    if (counts_instructions) {
        kprintf("bench: the cycle counter advances exactly once per instruction "
                "(QEMU -icount shift=0): figures are instructions\n");
    } else {
        kprintf("bench: the cycle counter does not advance once per instruction here "
                "(QEMU without -icount shift=0, or hardware): figures are cycles\n");
    }
}

void bench_begin(const struct bench_settings *s)
{
    settings = *s;
    if (settings.iterations == 0) {
        settings.iterations = 1;
    }
    if (settings.iterations > BENCH_MAX_SAMPLES) {
        settings.iterations = BENCH_MAX_SAMPLES;
    }
    if (settings.slow_iterations == 0) {
        settings.slow_iterations = 1;
    }
    if (settings.slow_iterations > BENCH_MAX_SAMPLES) {
        settings.slow_iterations = BENCH_MAX_SAMPLES;
    }
    if (!settings.groups) {
        settings.groups = "";
    }
    result_count = 0;
    hal_perf_init();
    bench_check_counter();
}

const struct bench_settings *bench_settings(void)
{
    return &settings;
}

bool bench_group_listed(const char *group)
{
    size_t len = strlen(group);
    const char *p = settings.groups;

    while (*p) {
        const char *end = strchr(p, ',');
        size_t word = end ? (size_t)(end - p) : strlen(p);
        if (word == len && memcmp(p, group, len) == 0) {
            return true;
        }
        p += word + (end != NULL);
    }
    return false;
}

bool bench_group_enabled(const char *group)
{
    return settings.groups[0] == '\0' || bench_group_listed(group);
}

const char *bench_unit(void)
{
    return counts_instructions ? "instructions" : "cycles";
}

uint64_t bench_now(void)
{
    return hal_perf_cycles();
}

static void bench_nothing(void *ctx)
{
    (void)ctx;
}

static uint64_t bench_cap(uint64_t n)
{
    return n == 0 ? 1 : n > BENCH_MAX_SAMPLES ? BENCH_MAX_SAMPLES : n;
}

uint64_t bench_time(bench_op op, void *ctx, uint64_t n)
{
    n = bench_cap(n);
    /* Warm-up: first-touch costs (cold paths, the lazy FP hand-over, a
     * table allocated on first use) stay out of the samples. */
    for (uint64_t i = 0; i < n / 10 + 2; i++) {
        op(ctx);
    }
    for (uint64_t i = 0; i < n; i++) {
        uint64_t start = bench_now();
        op(ctx);
        samples[i] = bench_now() - start;
    }
    return bench_median(samples, n);
}

void bench_time_pair(bench_op first, bench_op second, void *ctx, uint64_t n, uint64_t *first_median,
                     uint64_t *second_median)
{
    n = bench_cap(n);
    for (uint64_t i = 0; i < n / 10 + 2; i++) {
        first(ctx);
        second(ctx);
    }
    for (uint64_t i = 0; i < n; i++) {
        uint64_t start = bench_now();
        first(ctx);
        uint64_t middle = bench_now();
        second(ctx);
        uint64_t end = bench_now();
        samples[i] = middle - start;
        samples_second[i] = end - middle;
    }
    *first_median = bench_median(samples, n);
    *second_median = bench_median(samples_second, n);
}

uint64_t bench_overhead(uint64_t n)
{
    return bench_time(bench_nothing, NULL, n);
}

uint64_t bench_net(bench_op op, bench_op baseline, void *ctx, uint64_t n)
{
    uint64_t cost = bench_time(op, ctx, n);
    uint64_t overhead = bench_time(baseline ? baseline : bench_nothing, ctx, n);

    return bench_subtract(cost, overhead);
}

void bench_record(const char *name, const char *what, uint64_t value, uint64_t samples_taken)
{
    if (result_count < BENCH_MAX_RESULTS) {
        struct bench_result *r = &results[result_count++];
        strlcpy(r->name, name, sizeof(r->name));
        strlcpy(r->what, what, sizeof(r->what));
        r->value = value;
        r->samples = samples_taken;
    }
    kprintf("bench: {\"name\": \"%s\", \"what\": \"%s\", \"unit\": \"%s\", \"value\": %llu, "
            "\"samples\": %llu}\n",
            name, what, bench_unit(), (unsigned long long)value, (unsigned long long)samples_taken);
}

void bench_skip(const char *name, const char *why)
{
    kprintf("bench: skipped %s: %s\n", name, why);
}

void bench_print_table(void)
{
    kprintf("bench: %u figures, %s per operation (median, warm-up and overhead excluded)\n",
            result_count, bench_unit());
    kprintf("  %-28s %12s %8s  %s\n", "name", bench_unit(), "samples", "operation");
    for (unsigned i = 0; i < result_count; i++) {
        const struct bench_result *r = &results[i];
        kprintf("  %-28s %12llu %8llu  %s\n", r->name, (unsigned long long)r->value,
                (unsigned long long)r->samples, r->what);
    }
}
