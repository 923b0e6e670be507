/*
 * utest: the test harness of the user-mode test programs (usertest,
 * racetest, faultinj, fuzz).
 *
 * A case is a function run by utest_run, which prints "ok N name" or
 * "not ok N name" (TAP). Around every case it reads the kernel's counts of
 * every object kind (SYS_KERNEL_COUNTS): a case that leaves a frame, a
 * thread, a handle or anything else behind fails, with the difference
 * printed. utest_summary prints "PROGRAM: N passed, N failed".
 */
#ifndef USER_UTEST_H
#define USER_UTEST_H

#include "ulib.h"

/* Set by a failed check; utest_run clears it before each case. */
extern int utest_case_failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("    # %s:%d: %s\n", __FILE__, __LINE__, #cond);                                \
            utest_case_failed = 1;                                                                 \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long va_ = (long)(a), vb_ = (long)(b);                                                     \
        if (va_ != vb_) {                                                                          \
            printf("    # %s:%d: %s == %ld, expected %ld\n", __FILE__, __LINE__, #a, va_, vb_);    \
            utest_case_failed = 1;                                                                 \
        }                                                                                          \
    } while (0)

/* Runs one case and checks that the kernel's objects came back. */
void utest_run(const char *name, void (*fn)(void));

struct utest_case {
    const char *name;
    void (*fn)(void);
};

/* Runs every case of the table, in order, or only the one the program's
 * argument names (an empty argument: all of them). */
void utest_run_cases(const struct utest_case *cases, size_t count, const char *arg, size_t arg_len);

/* Waits (a little) until the kernel's counts equal want again, as they do
 * once every task a test started has ended; 0, or the number of fields that
 * still differ (printed). */
int utest_counts_settle(const struct kernel_counts *want, const char *where);

/* Prints "program: N passed, N failed" and returns the number failed. */
int utest_summary(const char *program);

/* A small deterministic PRNG (xorshift64*), for seeded tests. */
static inline uint64_t utest_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Whether the argument string arg (of arg_len bytes) is exactly word. */
int utest_arg_is(const char *arg, size_t arg_len, const char *word);

#endif
