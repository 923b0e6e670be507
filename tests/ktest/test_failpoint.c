/* Fault injection: the n-th allocation point after arming fails, once. */
#include "kernel/failpoint.h"
#include "ktest_locked.h"
#include "lib/ktest.h"

KTEST_LOCKED(failpoint, the_nth_point_fails_once_and_counting_goes_on)
{
    uint64_t failures = failpoint_failures();

    KTEST_EXPECT_FALSE(t, failpoint_hit(FAILPOINT_FRAME)); /* disarmed: nothing fails */
    failpoint_arm(3);
    KTEST_EXPECT_FALSE(t, failpoint_hit(FAILPOINT_FRAME));
    KTEST_EXPECT_FALSE(t, failpoint_hit(FAILPOINT_HANDLE));
    KTEST_EXPECT_TRUE(t, failpoint_hit(FAILPOINT_TASK));
    KTEST_EXPECT_FALSE(t, failpoint_hit(FAILPOINT_FRAME));
    KTEST_EXPECT_EQ(t, failpoint_arm(0), 4); /* four points passed */
    KTEST_EXPECT_FALSE(t, failpoint_hit(FAILPOINT_FRAME));
    KTEST_EXPECT_EQ(t, failpoint_failures(), failures + 1);
    KTEST_EXPECT_EQ(t, failpoint_arm(0), 0);
}

KTEST_LOCKED(failpoint, every_site_has_a_name)
{
    for (int site = 0; site < FAILPOINT_SITES; site++) {
        KTEST_EXPECT_TRUE(t, failpoint_site_name((enum failpoint_site)site)[0] != '?');
    }
    KTEST_EXPECT_STREQ(t, failpoint_site_name(FAILPOINT_SITES), "?");
}
