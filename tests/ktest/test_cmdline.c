/* Kernel command line parsing: flags, key=value, last-wins, numbers. */
#include "kernel/cmdline.h"
#include "lib/ktest.h"

KTEST(cmdline, flags)
{
    KTEST_EXPECT_TRUE(t, cmdline_has_flag("demo=ipc exit", "exit"));
    KTEST_EXPECT_TRUE(t, cmdline_has_flag("  exit  ", "exit"));
    KTEST_EXPECT_FALSE(t, cmdline_has_flag("exiting", "exit"));
    KTEST_EXPECT_FALSE(t, cmdline_has_flag("exit=1", "exit"));
    KTEST_EXPECT_FALSE(t, cmdline_has_flag("", "exit"));
    KTEST_EXPECT_FALSE(t, cmdline_has_flag("noexit", "exit"));
}

KTEST(cmdline, values_last_wins)
{
    char buf[16];

    KTEST_EXPECT_TRUE(t, cmdline_get("demo=boot rounds=3 demo=ipc", "demo", buf, sizeof(buf)));
    KTEST_EXPECT_STREQ(t, buf, "ipc");
    KTEST_EXPECT_TRUE(t, cmdline_get("demo= exit", "demo", buf, sizeof(buf)));
    KTEST_EXPECT_STREQ(t, buf, "");
    KTEST_EXPECT_FALSE(t, cmdline_get("demos=x exit", "demo", buf, sizeof(buf)));
    KTEST_EXPECT_FALSE(t, cmdline_get("demo", "demo", buf, sizeof(buf)));
}

KTEST(cmdline, value_truncated_to_buffer)
{
    char buf[4] = {'x', 'x', 'x', 'x'};

    KTEST_EXPECT_TRUE(t, cmdline_get("demo=preempt", "demo", buf, sizeof(buf)));
    KTEST_EXPECT_STREQ(t, buf, "pre");
}

KTEST(cmdline, numbers)
{
    uint64_t v = 7;

    KTEST_EXPECT_TRUE(t, cmdline_get_u64("rounds=20", "rounds", &v));
    KTEST_EXPECT_EQ(t, v, 20);
    KTEST_EXPECT_TRUE(t, cmdline_get_u64("mask=0xFf", "mask", &v));
    KTEST_EXPECT_EQ(t, v, 255);
    KTEST_EXPECT_TRUE(t, cmdline_get_u64("n=18446744073709551615", "n", &v));
    KTEST_EXPECT_TRUE(t, v == UINT64_MAX);
    v = 7;
    KTEST_EXPECT_FALSE(t, cmdline_get_u64("n=18446744073709551616", "n", &v));
    KTEST_EXPECT_FALSE(t, cmdline_get_u64("n=12abc", "n", &v));
    KTEST_EXPECT_FALSE(t, cmdline_get_u64("n=", "n", &v));
    KTEST_EXPECT_FALSE(t, cmdline_get_u64("n=-1", "n", &v));
    KTEST_EXPECT_FALSE(t, cmdline_get_u64("n=0x", "n", &v));
    KTEST_EXPECT_EQ(t, v, 7);
}
