/* Benchmark statistics (see include/lib/bench_stats.h). */
#include "lib/bench_stats.h"

static void swap(uint64_t *a, uint64_t *b)
{
    uint64_t t = *a;

    *a = *b;
    *b = t;
}

/* Moves v[root] down until the heap v[0..n) is a max-heap again below root. */
static void sift_down(uint64_t *v, size_t root, size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) {
            return;
        }
        if (child + 1 < n && v[child + 1] > v[child]) {
            child++;
        }
        if (v[root] >= v[child]) {
            return;
        }
        swap(&v[root], &v[child]);
        root = child;
    }
}

void bench_sort(uint64_t *v, size_t n)
{
    if (n < 2) {
        return;
    }
    for (size_t i = n / 2; i-- > 0;) {
        sift_down(v, i, n);
    }
    for (size_t end = n - 1; end > 0; end--) {
        swap(&v[0], &v[end]);
        sift_down(v, 0, end);
    }
}

uint64_t bench_median(uint64_t *v, size_t n)
{
    if (n == 0) {
        return 0;
    }
    bench_sort(v, n);
    return v[(n - 1) / 2];
}

void bench_summarize(uint64_t *v, size_t n, struct bench_summary *out)
{
    out->samples = n;
    out->min = out->median = out->max = 0;
    out->at_median = 0;
    if (n == 0) {
        return;
    }
    out->median = bench_median(v, n); /* sorts v */
    out->min = v[0];
    out->max = v[n - 1];
    for (size_t i = 0; i < n; i++) {
        out->at_median += v[i] == out->median;
    }
}

uint64_t bench_subtract(uint64_t value, uint64_t overhead)
{
    return value > overhead ? value - overhead : 0;
}

uint64_t bench_delta(uint64_t start, uint64_t end, uint64_t mask)
{
    return (end - start) & mask;
}

bool bench_counts_instructions(uint64_t short_delta, uint64_t long_delta, unsigned span)
{
    return long_delta >= short_delta && long_delta - short_delta == span;
}

bool bench_parse_u64(const char *s, size_t len, uint64_t *out)
{
    uint64_t value = 0;

    if (len == 0) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        unsigned digit = (unsigned)(s[i] - '0');
        if (value > (UINT64_MAX - digit) / 10) {
            return false;
        }
        value = value * 10 + digit;
    }
    *out = value;
    return true;
}
