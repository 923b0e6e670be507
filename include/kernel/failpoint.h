/*
 * Fault injection: making the kernel's allocation points fail on purpose,
 * one at a time, to prove that every failure path gives an error code and
 * undoes exactly what it had done.
 *
 * Every place where the kernel takes a resource that can run out (a frame,
 * a thread or task slot, a kernel stack, an endpoint, a notification, a
 * handle, a region, an ASID, an interrupt binding) asks failpoint_hit()
 * first. Disarmed, that is one load and a branch. Armed with N, the N-th
 * allocation point passed from then on fails as if the resource had run
 * out, and the count goes on, so a test learns how many points its
 * scenario passes and can make each of them fail in turn
 * (user/programs/faultinj.c, "make fault-inject").
 *
 * Only a kernel booted with "faultinject" on its command line lets user
 * programs arm it (SYS_FAILPOINT): a debugging aid, not a feature.
 */
#ifndef KERNEL_FAILPOINT_H
#define KERNEL_FAILPOINT_H

#include <stdbool.h>
#include <stdint.h>

enum failpoint_site {
    FAILPOINT_FRAME,
    FAILPOINT_THREAD,
    FAILPOINT_KSTACK,
    FAILPOINT_TASK,
    FAILPOINT_ENDPOINT,
    FAILPOINT_NOTIFICATION,
    FAILPOINT_HANDLE,
    FAILPOINT_REGION,
    FAILPOINT_IRQ_BINDING,
    FAILPOINT_SITES
};

extern bool failpoint_armed;

/* The slow half of failpoint_hit: counts, and says whether this one fails. */
bool failpoint_count(enum failpoint_site site);

/* Called at each allocation point: true when this allocation must fail. */
static inline bool failpoint_hit(enum failpoint_site site)
{
    return failpoint_armed && failpoint_count(site);
}

/*
 * Arms fault injection so that the nth allocation point from now fails (the
 * first is 1), or disarms it with 0. Returns how many allocation points
 * were passed since the previous call. The kernel lock must be held.
 */
uint64_t failpoint_arm(uint64_t nth);

/* How many allocations were made to fail since boot. */
uint64_t failpoint_failures(void);

/* Lets user programs arm it (SYS_FAILPOINT): kmain calls this when the
 * command line says "faultinject". */
void failpoint_allow_user(void);
bool failpoint_user_allowed(void);

/* The site's name, for reports ("frame", "thread", ...). */
const char *failpoint_site_name(enum failpoint_site site);

#endif
