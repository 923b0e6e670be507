/*
 * Statistics for benchmarks: turning many noisy samples into one honest
 * figure. Plain C with no allocation, shared by the kernel's benchmarks
 * (kernel/bench.c), the user-mode ones (user/programs/bench.c) and the host
 * tests (tests/ktest/test_bench_stats.c).
 *
 * The recipe every figure follows:
 *   1. run the operation a few times untimed (warm-up);
 *   2. time it n times, and the same code with nothing in between n times;
 *   3. figure = median(operation) - median(nothing), never below 0.
 * The median ignores the odd sample that an interrupt or a cold path made
 * slow, where a mean would absorb it.
 */
#ifndef LIB_BENCH_STATS_H
#define LIB_BENCH_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sorts v[0..n) into ascending order, in place (heapsort: O(n log n), no
 * recursion, no extra memory). */
void bench_sort(uint64_t *v, size_t n);

/* The median of v[0..n): for an even n the lower of the two middle values,
 * so the result is always one of the samples. Reorders v. 0 when n is 0. */
uint64_t bench_median(uint64_t *v, size_t n);

struct bench_summary {
    size_t samples;
    uint64_t min;
    uint64_t median;
    uint64_t max;
    size_t at_median; /* how many samples equal the median exactly */
};

/* Summarizes v[0..n) (reordering it). Everything is 0 when n is 0. */
void bench_summarize(uint64_t *v, size_t n, struct bench_summary *out);

/* value - overhead, clamped at 0: an operation never costs less than nothing. */
uint64_t bench_subtract(uint64_t value, uint64_t overhead);

/* end - start for a counter that only has the bits in mask (it wraps from
 * mask to 0): correct as long as less than one wrap passed in between. */
uint64_t bench_delta(uint64_t start, uint64_t end, uint64_t mask);

/*
 * Whether a counter counts exactly one per instruction, judged from two
 * readings around code sequences that differ by exactly span instructions:
 * then the long reading is the short one plus span.
 */
bool bench_counts_instructions(uint64_t short_delta, uint64_t long_delta, unsigned span);

/* Parses a decimal number from s[0..len); false if it is empty, has other
 * characters, or does not fit in 64 bits. */
bool bench_parse_u64(const char *s, size_t len, uint64_t *out);

#endif
