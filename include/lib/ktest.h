/*
 * ktest: one tiny test framework for two worlds.
 *
 * The same test cases run as host unit tests (linked with a fake HAL and the
 * sanitizers) and inside the kernel under QEMU (kernel command line "ktest").
 * A case is declared with KTEST(suite, name) and lands in the "ktest_cases"
 * linker section, so adding a file is all it takes to register its cases.
 *
 * Output is KTAP, closed by one summary line "ktest: N passed, N failed".
 */
#ifndef LIB_KTEST_H
#define LIB_KTEST_H

#include <stddef.h>
#include <stdint.h>

struct ktest {
    const char *name;
    int failures;
    int skipped;
};

struct ktest_case {
    const char *suite;
    const char *name;
    void (*fn)(struct ktest *t);
};

#define KTEST(suite, name)                                                                         \
    static void ktest_fn_##suite##_##name(struct ktest *t);                                        \
    static const struct ktest_case ktest_case_##suite##_##name                                     \
        __attribute__((used, section("ktest_cases"), aligned(8))) = {#suite, #name,                \
                                                                     ktest_fn_##suite##_##name};   \
    static void ktest_fn_##suite##_##name(struct ktest *t)

/* Records a failure with its location; the case goes on running. */
void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Marks the case skipped, with a reason (printed as "# SKIP reason"). */
void ktest_skip(struct ktest *t, const char *reason);

#define KTEST_EXPECT_TRUE(t, cond)                                                                 \
    ((cond) ? 1 : (ktest_fail((t), __FILE__, __LINE__, "expected true: %s", #cond), 0))

#define KTEST_EXPECT_FALSE(t, cond)                                                                \
    (!(cond) ? 1 : (ktest_fail((t), __FILE__, __LINE__, "expected false: %s", #cond), 0))

#define KTEST_EXPECT_EQ(t, a, b)                                                                   \
    ktest_expect_eq((t), __FILE__, __LINE__, #a, #b, (long long)(a), (long long)(b))

#define KTEST_EXPECT_NE(t, a, b)                                                                   \
    ktest_expect_ne((t), __FILE__, __LINE__, #a, #b, (long long)(a), (long long)(b))

#define KTEST_EXPECT_STREQ(t, a, b) ktest_expect_streq((t), __FILE__, __LINE__, #a, (a), (b))

#define KTEST_EXPECT_MEMEQ(t, a, b, n)                                                             \
    ktest_expect_memeq((t), __FILE__, __LINE__, #a, #b, (a), (b), (n))

/* The ASSERT forms end the case at the first failure. */
#define KTEST_ASSERT_TRUE(t, cond)                                                                 \
    do {                                                                                           \
        if (!KTEST_EXPECT_TRUE(t, cond))                                                           \
            return;                                                                                \
    } while (0)

#define KTEST_ASSERT_EQ(t, a, b)                                                                   \
    do {                                                                                           \
        if (!KTEST_EXPECT_EQ(t, a, b))                                                             \
            return;                                                                                \
    } while (0)

int ktest_expect_eq(struct ktest *t, const char *file, int line, const char *sa, const char *sb,
                    long long a, long long b);
int ktest_expect_ne(struct ktest *t, const char *file, int line, const char *sa, const char *sb,
                    long long a, long long b);
int ktest_expect_streq(struct ktest *t, const char *file, int line, const char *sa, const char *a,
                       const char *b);
int ktest_expect_memeq(struct ktest *t, const char *file, int line, const char *sa, const char *sb,
                       const void *a, const void *b, size_t n);

/*
 * Runs every registered case whose "suite.name" starts with filter (NULL or
 * "" runs all), prints KTAP and the summary line, and returns the number of
 * failed cases.
 */
int ktest_run_all(const char *filter);

/*
 * Provided by the environment: the device tree the machine booted with (the
 * kernel's own DTB, or a QEMU-dumped one the host runner loaded), or NULL.
 */
const void *ktest_env_dtb(void);

/*
 * The time slice while tests run: so long that no slice ends during a case,
 * so thread interleavings depend only on priorities and blocking.
 */
#define KTEST_SLICE_NS 10000000000ULL

/* A small deterministic PRNG (xorshift64*) for seeded randomized tests. */
static inline uint64_t ktest_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

#endif
