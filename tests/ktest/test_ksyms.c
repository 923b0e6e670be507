/* Symbol lookup over a small hand-made table. */
#include "kernel/ksyms.h"
#include "lib/ktest.h"

static const uint64_t test_addresses[] = {0x1000, 0x1040, 0x1040 + 0x10, 0x2000};
static const uint32_t test_offsets[] = {0, 6, 12, 18};
static const char test_names[] = "alpha\0bravo\0delta\0";

static const struct ksym_table test_table = {
    .count = 4,
    .addresses = test_addresses,
    .name_offsets = test_offsets,
    .names = test_names,
};

KTEST(ksyms, lookup_inside_functions)
{
    uint64_t off = 99;

    KTEST_EXPECT_STREQ(t, ksyms_lookup_in(&test_table, 0x1000, &off), "alpha");
    KTEST_EXPECT_EQ(t, off, 0);
    KTEST_EXPECT_STREQ(t, ksyms_lookup_in(&test_table, 0x103f, &off), "alpha");
    KTEST_EXPECT_EQ(t, off, 0x3f);
    KTEST_EXPECT_STREQ(t, ksyms_lookup_in(&test_table, 0x1040, &off), "bravo");
    KTEST_EXPECT_EQ(t, off, 0);
    KTEST_EXPECT_STREQ(t, ksyms_lookup_in(&test_table, 0x1fff, &off), "delta");
    KTEST_EXPECT_EQ(t, off, 0x1fff - 0x1050);
}

KTEST(ksyms, lookup_outside_code)
{
    uint64_t off;

    /* Below the first function, and at or past the end sentinel. */
    KTEST_EXPECT_TRUE(t, ksyms_lookup_in(&test_table, 0xfff, &off) == NULL);
    KTEST_EXPECT_TRUE(t, ksyms_lookup_in(&test_table, 0x2000, &off) == NULL);
    KTEST_EXPECT_TRUE(t, ksyms_lookup_in(&test_table, UINT64_MAX, &off) == NULL);
}

KTEST(ksyms, empty_table)
{
    const struct ksym_table empty = {0, test_addresses, test_offsets, test_names};
    uint64_t off;

    KTEST_EXPECT_TRUE(t, ksyms_lookup_in(&empty, 0x1000, &off) == NULL);
}
