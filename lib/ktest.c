/*
 * The ktest runner. Cases live in the "ktest_cases" section; the linker
 * provides __start_ktest_cases and __stop_ktest_cases around it (GNU ld and
 * lld do so for any section whose name is a valid C identifier, and the
 * kernel's linker script keeps the section).
 */
#include "lib/ktest.h"

#include <stdarg.h>

#include "lib/printf.h"
#include "lib/string.h"

extern const struct ktest_case __start_ktest_cases[];
extern const struct ktest_case __stop_ktest_cases[];

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    t->failures++;
    kprintf("    # %s: %s:%d: ", t->name, file, line);
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
}

void ktest_skip(struct ktest *t, const char *reason)
{
    t->skipped = 1;
    kprintf("    # %s: skipped: %s\n", t->name, reason);
}

int ktest_expect_eq(struct ktest *t, const char *file, int line, const char *sa, const char *sb,
                    long long a, long long b)
{
    if (a == b) {
        return 1;
    }
    ktest_fail(t, file, line, "expected %s == %s, got %lld (0x%llx) != %lld (0x%llx)", sa, sb, a,
               (unsigned long long)a, b, (unsigned long long)b);
    return 0;
}

int ktest_expect_ne(struct ktest *t, const char *file, int line, const char *sa, const char *sb,
                    long long a, long long b)
{
    if (a != b) {
        return 1;
    }
    ktest_fail(t, file, line, "expected %s != %s, both are %lld", sa, sb, a);
    return 0;
}

int ktest_expect_streq(struct ktest *t, const char *file, int line, const char *sa, const char *a,
                       const char *b)
{
    if (a && b && strcmp(a, b) == 0) {
        return 1;
    }
    ktest_fail(t, file, line, "expected %s == \"%s\", got \"%s\"", sa, b ? b : "(null)",
               a ? a : "(null)");
    return 0;
}

int ktest_expect_memeq(struct ktest *t, const char *file, int line, const char *sa, const char *sb,
                       const void *a, const void *b, size_t n)
{
    const unsigned char *pa = a;
    const unsigned char *pb = b;

    for (size_t i = 0; i < n; i++) {
        if (pa[i] != pb[i]) {
            ktest_fail(t, file, line, "%s and %s differ at byte %zu: 0x%02x != 0x%02x", sa, sb, i,
                       pa[i], pb[i]);
            return 0;
        }
    }
    return 1;
}

static int ktest_matches(const struct ktest_case *c, const char *filter)
{
    char full[96];

    if (!filter || !filter[0]) {
        return 1;
    }
    ksnprintf(full, sizeof(full), "%s.%s", c->suite, c->name);
    return strncmp(full, filter, strlen(filter)) == 0;
}

int ktest_run_all(const char *filter)
{
    const struct ktest_case *c;
    int total = 0;
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    int n = 0;

    for (c = __start_ktest_cases; c < __stop_ktest_cases; c++) {
        total += ktest_matches(c, filter);
    }
    kprintf("KTAP version 1\n1..%d\n", total);

    for (c = __start_ktest_cases; c < __stop_ktest_cases; c++) {
        if (!ktest_matches(c, filter)) {
            continue;
        }
        char name[96];
        ksnprintf(name, sizeof(name), "%s.%s", c->suite, c->name);
        struct ktest t = {.name = name, .failures = 0, .skipped = 0};
        c->fn(&t);
        n++;
        if (t.failures) {
            failed++;
            kprintf("not ok %d %s\n", n, name);
        } else if (t.skipped) {
            skipped++;
            kprintf("ok %d %s # SKIP\n", n, name);
        } else {
            passed++;
            kprintf("ok %d %s\n", n, name);
        }
    }
    if (skipped) {
        kprintf("ktest: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
    } else {
        kprintf("ktest: %d passed, %d failed\n", passed, failed);
    }
    return failed;
}
