/* Fault injection at the allocation points (see include/kernel/failpoint.h). */
#include "kernel/failpoint.h"

#include "kernel/klock.h"
#include "lib/printf.h"

bool failpoint_armed;
static bool failpoint_users_may_arm;
static uint64_t failpoint_target; /* which pass fails: 1 = the first after arming */
static uint64_t failpoint_passes;
static uint64_t failpoint_failed;

static const char *const site_names[FAILPOINT_SITES] = {
    [FAILPOINT_FRAME] = "frame",
    [FAILPOINT_THREAD] = "thread",
    [FAILPOINT_KSTACK] = "kernel stack",
    [FAILPOINT_TASK] = "task",
    [FAILPOINT_ENDPOINT] = "endpoint",
    [FAILPOINT_NOTIFICATION] = "notification",
    [FAILPOINT_HANDLE] = "handle",
    [FAILPOINT_REGION] = "region",
    [FAILPOINT_IRQ_BINDING] = "irq binding",
};

const char *failpoint_site_name(enum failpoint_site site)
{
    return (unsigned)site < FAILPOINT_SITES ? site_names[site] : "?";
}

bool failpoint_count(enum failpoint_site site)
{
    KLOCK_ASSERT_HELD();
    if (++failpoint_passes != failpoint_target) {
        return false;
    }
    failpoint_failed++;
    kprintf("failpoint: allocation point %llu (%s) fails\n", (unsigned long long)failpoint_passes,
            failpoint_site_name(site));
    return true;
}

uint64_t failpoint_arm(uint64_t nth)
{
    uint64_t passed = failpoint_passes;

    KLOCK_ASSERT_HELD();
    failpoint_passes = 0;
    failpoint_target = nth;
    failpoint_armed = nth != 0;
    return passed;
}

uint64_t failpoint_failures(void)
{
    return failpoint_failed;
}

void failpoint_allow_user(void)
{
    failpoint_users_may_arm = true;
}

bool failpoint_user_allowed(void)
{
    return failpoint_users_may_arm;
}
