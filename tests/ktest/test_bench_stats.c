/* The benchmark statistics: median, overhead subtraction, counter deltas, the calibration rule. */
#include "lib/bench_stats.h"
#include "lib/ktest.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int sorted(const uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (v[i - 1] > v[i]) {
            return 0;
        }
    }
    return 1;
}

KTEST(bench_stats, sort_small_cases)
{
    uint64_t one[] = {7};
    uint64_t two[] = {9, 3};
    uint64_t dup[] = {5, 1, 5, 1, 5, 0, UINT64_MAX, 5};

    bench_sort(NULL, 0);
    bench_sort(one, 1);
    KTEST_EXPECT_EQ(t, one[0], 7);
    bench_sort(two, 2);
    KTEST_EXPECT_EQ(t, two[0], 3);
    KTEST_EXPECT_EQ(t, two[1], 9);
    bench_sort(dup, ARRAY_SIZE(dup));
    KTEST_EXPECT_TRUE(t, sorted(dup, ARRAY_SIZE(dup)));
    KTEST_EXPECT_EQ(t, dup[0], 0);
    KTEST_EXPECT_TRUE(t, dup[ARRAY_SIZE(dup) - 1] == UINT64_MAX);
}

KTEST(bench_stats, sort_matches_counting_on_random_input)
{
    static uint64_t v[1000];
    unsigned counts[16] = {0};
    uint64_t seed = 0x5eed;

    for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
        v[i] = ktest_rand(&seed) % 16;
        counts[v[i]]++;
    }
    bench_sort(v, ARRAY_SIZE(v));
    KTEST_ASSERT_TRUE(t, sorted(v, ARRAY_SIZE(v)));
    size_t at = 0;
    for (unsigned value = 0; value < 16; value++) {
        for (unsigned k = 0; k < counts[value]; k++) {
            KTEST_ASSERT_EQ(t, v[at++], value);
        }
    }
}

KTEST(bench_stats, median_odd_even_and_empty)
{
    uint64_t odd[] = {30, 10, 20};
    uint64_t even[] = {40, 10, 30, 20};
    uint64_t none[1] = {99};

    KTEST_EXPECT_EQ(t, bench_median(odd, ARRAY_SIZE(odd)), 20);
    /* The lower middle: always a value that was really measured. */
    KTEST_EXPECT_EQ(t, bench_median(even, ARRAY_SIZE(even)), 20);
    KTEST_EXPECT_EQ(t, bench_median(none, 0), 0);
}

KTEST(bench_stats, median_ignores_outliers)
{
    /* What a run looks like: identical samples, and a few an interrupt hit. */
    uint64_t v[101];

    for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
        v[i] = 412;
    }
    v[3] = 9000;
    v[50] = 15000;
    v[99] = 411;
    KTEST_EXPECT_EQ(t, bench_median(v, ARRAY_SIZE(v)), 412);
}

KTEST(bench_stats, summary)
{
    uint64_t v[] = {5, 3, 5, 9, 5, 1, 5};
    struct bench_summary s;

    bench_summarize(v, ARRAY_SIZE(v), &s);
    KTEST_EXPECT_EQ(t, s.samples, 7);
    KTEST_EXPECT_EQ(t, s.min, 1);
    KTEST_EXPECT_EQ(t, s.median, 5);
    KTEST_EXPECT_EQ(t, s.max, 9);
    KTEST_EXPECT_EQ(t, s.at_median, 4);
    bench_summarize(v, 0, &s);
    KTEST_EXPECT_EQ(t, s.samples, 0);
    KTEST_EXPECT_EQ(t, s.median, 0);
    KTEST_EXPECT_EQ(t, s.at_median, 0);
}

KTEST(bench_stats, overhead_subtraction_clamps_at_zero)
{
    KTEST_EXPECT_EQ(t, bench_subtract(120, 20), 100);
    KTEST_EXPECT_EQ(t, bench_subtract(20, 20), 0);
    KTEST_EXPECT_EQ(t, bench_subtract(19, 20), 0);
    KTEST_EXPECT_EQ(t, bench_subtract(0, UINT64_MAX), 0);
    KTEST_EXPECT_TRUE(t, bench_subtract(UINT64_MAX, 0) == UINT64_MAX);
}

KTEST(bench_stats, delta_across_a_wrap)
{
    const uint64_t mask32 = 0xffffffffULL;

    KTEST_EXPECT_EQ(t, bench_delta(100, 350, mask32), 250);
    /* A 32-bit counter that went from near the top past zero. */
    KTEST_EXPECT_EQ(t, bench_delta(0xfffffff0ULL, 0x10ULL, mask32), 0x20);
    KTEST_EXPECT_EQ(t, bench_delta(5, 5, mask32), 0);
    KTEST_EXPECT_EQ(t, bench_delta(10, 25, UINT64_MAX), 15);
}

KTEST(bench_stats, counts_instructions_rule)
{
    /* icount shift=0: both sequences read exactly span apart. */
    KTEST_EXPECT_TRUE(t, bench_counts_instructions(2, 66, 64));
    /* No instruction counter: it reads 0 throughout. */
    KTEST_EXPECT_FALSE(t, bench_counts_instructions(0, 0, 64));
    /* A cycle counter following host time: anything but exactly span. */
    KTEST_EXPECT_FALSE(t, bench_counts_instructions(31, 200, 64));
    KTEST_EXPECT_FALSE(t, bench_counts_instructions(100, 40, 64));
    /* icount shift=1: two counts per instruction. */
    KTEST_EXPECT_FALSE(t, bench_counts_instructions(4, 132, 64));
}

KTEST(bench_stats, parse_u64)
{
    uint64_t v = 7;

    KTEST_EXPECT_TRUE(t, bench_parse_u64("1000", 4, &v));
    KTEST_EXPECT_EQ(t, v, 1000);
    KTEST_EXPECT_TRUE(t, bench_parse_u64("18446744073709551615", 20, &v));
    KTEST_EXPECT_TRUE(t, v == UINT64_MAX);
    v = 7;
    KTEST_EXPECT_FALSE(t, bench_parse_u64("18446744073709551616", 20, &v));
    KTEST_EXPECT_FALSE(t, bench_parse_u64("", 0, &v));
    KTEST_EXPECT_FALSE(t, bench_parse_u64("12x", 3, &v));
    KTEST_EXPECT_FALSE(t, bench_parse_u64("-1", 2, &v));
    KTEST_EXPECT_EQ(t, v, 7);
    /* Only len characters count: "42 rest" parsed as its first word. */
    KTEST_EXPECT_TRUE(t, bench_parse_u64("42 rest", 2, &v));
    KTEST_EXPECT_EQ(t, v, 42);
}
