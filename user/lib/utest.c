/* The user-mode test harness (see user/include/utest.h). */
#include "utest.h"

#define SETTLE_TRIES 200
#define SETTLE_SLEEP 1000000 /* 1 ms */

int utest_case_failed;
static int cases_passed;
static int cases_failed;

int utest_counts_settle(const struct kernel_counts *want, const char *where)
{
    struct kernel_counts now;

    /* A task a case started may still be ending (a grandchild it did not
     * wait for): a leak is for good, an end is a matter of time. */
    for (int i = 0; i < SETTLE_TRIES; i++) {
        if (sys_kernel_counts(&now) != 0) {
            printf("    # %s: the kernel's counts cannot be read\n", where ? where : "?");
            return 1;
        }
        if (kernel_counts_differ(want, &now, NULL) == 0) {
            return 0;
        }
        sys_sleep(SETTLE_SLEEP);
    }
    return kernel_counts_differ(want, &now, where);
}

void utest_run(const char *name, void (*fn)(void))
{
    struct kernel_counts before;

    utest_case_failed = 0;
    /* Without the counts from before, nothing can be compared after: the
     * case runs, and fails for what could not be checked. */
    bool counted = sys_kernel_counts(&before) == 0;
    if (!counted) {
        printf("    # %s: the kernel's counts cannot be read\n", name);
    }
    fn();
    if (!counted) {
        utest_case_failed = 1;
    } else if (utest_counts_settle(&before, name) != 0) {
        printf("    # %s left kernel objects behind\n", name);
        utest_case_failed = 1;
    }
    if (utest_case_failed) {
        cases_failed++;
        printf("not ok %d %s\n", cases_passed + cases_failed, name);
    } else {
        cases_passed++;
        printf("ok %d %s\n", cases_passed + cases_failed, name);
    }
}

void utest_run_cases(const struct utest_case *cases, size_t count, const char *arg, size_t arg_len)
{
    bool ran = false;

    for (size_t i = 0; i < count; i++) {
        if (arg_len == 0 || utest_arg_is(arg, arg_len, cases[i].name)) {
            utest_run(cases[i].name, cases[i].fn);
            ran = true;
        }
    }
    if (!ran) { /* a misspelt (or cut short) name must not pass as "0 failed" */
        cases_failed++;
        printf("not ok %d no case named '%.*s'\n", cases_passed + cases_failed, (int)arg_len, arg);
    }
}

int utest_summary(const char *program)
{
    printf("%s: %d passed, %d failed\n", program, cases_passed, cases_failed);
    return cases_failed;
}

int utest_arg_is(const char *arg, size_t arg_len, const char *word)
{
    return arg_len == strlen(word) && memcmp(arg, word, arg_len) == 0;
}
