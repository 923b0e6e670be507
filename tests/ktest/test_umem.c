/*
 * User memory and the checked copies: every bad user pointer must come back
 * as E_FAULT (or E_INVAL), never reach memory. Runs against the host's fake
 * physical memory as well as in the kernel.
 */
#include "kernel/bump.h"
#include "kernel/failpoint.h"
#include "kernel/frame.h"
#include "kernel/umem.h"
#include "ktest_locked.h"
#include "lib/ktest.h"
#include "lib/ktest_env_memory.h"
#include "lib/string.h"
#include "uapi/errors.h"
#include "uapi/syscall.h"

#define UM_SIZE KTEST_ENV_PHYS_MAX
#define UM_META (4 * 4096ULL)
#define PAGE    4096ULL

static struct {
    uint64_t region;
    struct bump bump;
    struct frame_allocator fa;
    struct umem mem;
    uint64_t free_at_start;
} um;

static bool um_setup(struct ktest *t)
{
    if (!KTEST_EXPECT_EQ(t, ktest_env_phys_region(UM_SIZE, &um.region), 0)) {
        return false;
    }
    bump_init(&um.bump, um.region, um.region + UM_META);
    if (!KTEST_EXPECT_EQ(t, frame_init(&um.fa, um.region, um.region + UM_SIZE, &um.bump), 0) ||
        !KTEST_EXPECT_EQ(t, frame_add_range(&um.fa, um.region + UM_META, um.region + UM_SIZE), 0)) {
        ktest_env_phys_release(um.region, UM_SIZE);
        return false;
    }
    um.free_at_start = frame_free_count(&um.fa);
    if (!KTEST_EXPECT_EQ(t, umem_init(&um.mem, &um.fa), 0)) {
        ktest_env_phys_release(um.region, UM_SIZE);
        return false;
    }
    return true;
}

static void um_teardown(struct ktest *t)
{
    umem_destroy(&um.mem);
    KTEST_EXPECT_EQ(t, frame_free_count(&um.fa), um.free_at_start); /* nothing leaked */
    ktest_env_phys_release(um.region, UM_SIZE);
}

KTEST_LOCKED(umem, copies_round_trip_across_pages)
{
    static char out[PAGE];
    static char in[PAGE];

    if (!um_setup(t)) {
        return;
    }
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x500000, 2 * PAGE, PROT_READ | PROT_WRITE, UMEM_ANON),
                    0x500000);
    for (unsigned i = 0; i < sizeof(out); i++) {
        out[i] = (char)(i * 7);
    }
    /* Straddles the boundary between the two pages. */
    KTEST_EXPECT_EQ(t, umem_copy_out(&um.mem, 0x500000 + PAGE - 32, out, sizeof(out)), 0);
    KTEST_EXPECT_EQ(t, umem_copy_in(&um.mem, in, 0x500000 + PAGE - 32, sizeof(in)), 0);
    KTEST_EXPECT_MEMEQ(t, in, out, sizeof(in));
    um_teardown(t);
}

KTEST_LOCKED(umem, bad_pointers_are_faults)
{
    static const uint64_t bad[] = {
        0, 0x400000, 0xffff000040200000ULL, USER_SPACE_TOP - 8, USER_SPACE_TOP, ~0ULL - 7};
    uint64_t word = 0x1122334455667788ULL;

    if (!um_setup(t)) {
        return;
    }
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x500000, PAGE, PROT_READ | PROT_WRITE, UMEM_ANON),
                    0x500000);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x600000, PAGE, PROT_READ, UMEM_IMAGE), 0x600000);
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        KTEST_EXPECT_EQ(t, umem_copy_in(&um.mem, &word, bad[i], 8), E_FAULT);
        KTEST_EXPECT_EQ(t, umem_copy_out(&um.mem, bad[i], &word, 8), E_FAULT);
    }
    /* Half mapped: the copy changes nothing, even the mapped half. */
    KTEST_EXPECT_EQ(t, umem_copy_out(&um.mem, 0x500000 + PAGE - 4, &word, 8), E_FAULT);
    /* Read-only memory cannot be written, but can be read. */
    KTEST_EXPECT_EQ(t, umem_copy_out(&um.mem, 0x600000, &word, 8), E_FAULT);
    KTEST_EXPECT_EQ(t, umem_copy_in(&um.mem, &word, 0x600000, 8), 0);
    /* A length that wraps around the address space. */
    KTEST_EXPECT_EQ(t, umem_copy_in(&um.mem, &word, 0x500000, ~0ULL - 0x100), E_FAULT);
    um_teardown(t);
}

KTEST_LOCKED(umem, strings_need_a_terminator_before_unmapped_memory)
{
    static char name[64];

    if (!um_setup(t)) {
        return;
    }
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x500000, PAGE, PROT_READ | PROT_WRITE, UMEM_ANON),
                    0x500000);
    KTEST_EXPECT_EQ(t, umem_copy_out(&um.mem, 0x500000 + PAGE - 8, "abcdefgh", 8), 0);
    KTEST_EXPECT_EQ(t, umem_copy_string_in(&um.mem, name, 0x500000 + PAGE - 8, sizeof(name)),
                    E_FAULT);
    KTEST_EXPECT_EQ(t, umem_copy_out(&um.mem, 0x500000 + PAGE - 8, "abc\0", 4), 0);
    KTEST_EXPECT_EQ(t, umem_copy_string_in(&um.mem, name, 0x500000 + PAGE - 8, sizeof(name)), 3);
    KTEST_EXPECT_STREQ(t, name, "abc");
    KTEST_EXPECT_EQ(t, umem_copy_string_in(&um.mem, name, 0x500000 + PAGE - 8, 3), E_INVAL);
    um_teardown(t);
}

KTEST_LOCKED(umem, map_arguments_and_partial_unmap)
{
    if (!um_setup(t)) {
        return;
    }
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x500123, PAGE, PROT_READ, UMEM_ANON), E_INVAL);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x500000, 0, PROT_READ, UMEM_ANON), E_INVAL);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x500000, PAGE, PROT_WRITE | PROT_EXEC, UMEM_ANON),
                    E_INVAL);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, USER_SPACE_TOP, PAGE, PROT_READ, UMEM_ANON), E_INVAL);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x500000, 1ULL << 40, PROT_READ, UMEM_ANON), E_NOMEM);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x500000, 3 * PAGE, PROT_READ | PROT_WRITE, UMEM_ANON),
                    0x500000);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x501000, PAGE, PROT_READ, UMEM_ANON), E_BUSY);
    /* Punch out the middle page: both ends stay usable. */
    KTEST_EXPECT_EQ(t, umem_unmap(&um.mem, 0x501000, PAGE), 0);
    uint64_t pa;
    KTEST_EXPECT_EQ(t, umem_translate(&um.mem, 0x500000, 1, &pa), 0);
    KTEST_EXPECT_EQ(t, umem_translate(&um.mem, 0x501000, 0, &pa), E_FAULT);
    KTEST_EXPECT_EQ(t, umem_translate(&um.mem, 0x502000, 1, &pa), 0);
    KTEST_EXPECT_EQ(t, umem_unmap(&um.mem, 0x501000, PAGE), E_INVAL); /* already gone */
    um_teardown(t);
}

/* The IPC buffer area is the kernel's: no mapping there, no unmapping of
 * its pages; the kernel maps a slot's page and frees it. */
KTEST_LOCKED(umem, ipc_buffer_area_is_reserved)
{
    const uint64_t area_end = IPC_BUFFER_VA + UMEM_IPC_AREA_SIZE;
    uint64_t pa;
    uint64_t kept;

    if (!um_setup(t)) {
        return;
    }
    unsigned regions = umem_region_count(&um.mem);
    KTEST_EXPECT_EQ(t, regions, 1); /* the area itself, reserved by umem_init */
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, IPC_BUFFER_VA, PAGE, PROT_READ, UMEM_ANON), E_INVAL);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, area_end - PAGE, PAGE, PROT_READ, UMEM_ANON), E_INVAL);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, IPC_BUFFER_VA - PAGE, 2 * PAGE, PROT_READ, UMEM_ANON),
                    E_INVAL);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, area_end - PAGE, 2 * PAGE, PROT_READ, UMEM_ANON), E_INVAL);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, area_end, PAGE, PROT_READ, UMEM_ANON), (int64_t)area_end);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, IPC_BUFFER_VA - PAGE, PAGE, PROT_READ, UMEM_ANON),
                    (int64_t)(IPC_BUFFER_VA - PAGE));

    KTEST_ASSERT_EQ(t, umem_ipc_page_map(&um.mem, 3, &pa), 0);
    KTEST_EXPECT_EQ(t, frame_use_of(&um.fa, pa), FRAME_USE_USER);
    KTEST_EXPECT_EQ(t, umem_translate(&um.mem, IPC_BUFFER_VA + 3 * PAGE, 1, &kept), 0);
    KTEST_EXPECT_EQ(t, kept, pa);
    KTEST_EXPECT_EQ(t, umem_unmap(&um.mem, IPC_BUFFER_VA + 3 * PAGE, PAGE), E_INVAL);
    KTEST_ASSERT_EQ(t, umem_ipc_page_map(&um.mem, 4, &kept), 0);
    umem_ipc_page_unmap(&um.mem, 3);
    KTEST_EXPECT_EQ(t, umem_translate(&um.mem, IPC_BUFFER_VA + 3 * PAGE, 0, &pa), E_FAULT);
    KTEST_EXPECT_EQ(t, frame_use_of(&um.fa, kept), FRAME_USE_USER);
    KTEST_EXPECT_EQ(t, umem_region_count(&um.mem), regions + 2);
    um_teardown(t); /* frees slot 4's page too, and checks nothing leaked */
}

/* A region another thread is filling or emptying cannot be unmapped. */
KTEST_LOCKED(umem, busy_regions_are_left_alone)
{
    if (!um_setup(t)) {
        return;
    }
    KTEST_ASSERT_EQ(t, umem_map(&um.mem, 0x500000, 4 * PAGE, PROT_READ, UMEM_ANON), 0x500000);
    for (unsigned i = 0; i < UMEM_MAX_REGIONS; i++) {
        if (um.mem.regions[i].va == 0x500000) {
            um.mem.regions[i].busy = true;
            KTEST_EXPECT_EQ(t, umem_unmap(&um.mem, 0x501000, PAGE), E_BUSY);
            KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x502000, PAGE, PROT_READ, UMEM_ANON), E_BUSY);
            um.mem.regions[i].busy = false;
        }
    }
    KTEST_EXPECT_EQ(t, umem_unmap(&um.mem, 0x500000, 4 * PAGE), 0);
    um_teardown(t);
}

/* Each allocation of a map made to fail in turn: an error, and nothing
 * mapped or recorded afterwards. */
KTEST_LOCKED(umem, a_failed_map_leaves_nothing)
{
    if (!um_setup(t)) {
        return;
    }
    uint64_t free_before = frame_free_count(&um.fa);
    unsigned regions = umem_region_count(&um.mem);
    failpoint_arm(UINT64_MAX);
    KTEST_ASSERT_EQ(t, umem_map(&um.mem, 0x500000, 6 * PAGE, PROT_READ, UMEM_ANON), 0x500000);
    uint64_t points = failpoint_arm(0);
    KTEST_EXPECT_TRUE(t, points >= 7); /* a region, six frames, and tables */
    KTEST_EXPECT_EQ(t, umem_unmap(&um.mem, 0x500000, 6 * PAGE), 0);
    for (uint64_t nth = 1; nth <= points; nth++) {
        failpoint_arm(nth);
        int64_t err = umem_map(&um.mem, 0x500000, 6 * PAGE, PROT_READ, UMEM_ANON);
        failpoint_arm(0);
        if (!KTEST_EXPECT_TRUE(t, err == E_NOMEM || err == E_NOSPC)) {
            break;
        }
        uint64_t pa;
        KTEST_EXPECT_EQ(t, umem_translate(&um.mem, 0x500000, 0, &pa), E_FAULT);
        KTEST_EXPECT_EQ(t, umem_region_count(&um.mem), regions);
    }
    KTEST_EXPECT_EQ(t, frame_free_count(&um.fa), free_before);
    um_teardown(t);
}

/* One page right after the last SYS_MAP region, alike, grows it (a pager's
 * page after page takes one slot); a larger map, another protection or a
 * gap takes a slot of its own. A map into another task is bounded. */
KTEST_LOCKED(umem, one_page_after_the_last_map_grows_it)
{
    const unsigned rw = PROT_READ | PROT_WRITE;

    if (!um_setup(t)) {
        return;
    }
    unsigned base = umem_region_count(&um.mem); /* the IPC buffer area */
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x500000, PAGE, rw, UMEM_ANON), 0x500000);
    for (uint64_t va = 0x501000; va < 0x510000; va += PAGE) {
        KTEST_EXPECT_EQ(t, umem_map(&um.mem, va, PAGE, rw, UMEM_ANON), (int64_t)va);
    }
    KTEST_EXPECT_EQ(t, umem_region_count(&um.mem), base + 1);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x510000, 2 * PAGE, rw, UMEM_ANON), 0x510000);
    KTEST_EXPECT_EQ(t, umem_region_count(&um.mem), base + 2);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x512000, PAGE, PROT_READ, UMEM_ANON), 0x512000);
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x514000, PAGE, PROT_READ, UMEM_ANON), 0x514000);
    KTEST_EXPECT_EQ(t, umem_region_count(&um.mem), base + 4);
    /* The grown region unmaps like one map: its middle, then the rest. */
    KTEST_EXPECT_EQ(t, umem_unmap(&um.mem, 0x508000, PAGE), 0);
    KTEST_EXPECT_EQ(t, umem_unmap(&um.mem, 0x500000, 8 * PAGE), 0);
    KTEST_EXPECT_EQ(t, umem_unmap(&um.mem, 0x509000, 7 * PAGE), 0);
    KTEST_EXPECT_EQ(t, umem_region_count(&um.mem), base + 3);
    /* A growth that fails at any allocation leaves the region as it was. */
    KTEST_ASSERT_EQ(t, umem_map(&um.mem, 0x516000, PAGE, rw, UMEM_ANON), 0x516000);
    unsigned regions = umem_region_count(&um.mem);
    uint64_t free_before = frame_free_count(&um.fa);
    failpoint_arm(UINT64_MAX);
    KTEST_ASSERT_EQ(t, umem_map(&um.mem, 0x517000, PAGE, rw, UMEM_ANON), 0x517000);
    uint64_t points = failpoint_arm(0);
    KTEST_EXPECT_EQ(t, points, 1); /* the frame: growing takes no slot, no table */
    KTEST_EXPECT_EQ(t, umem_region_count(&um.mem), regions);
    KTEST_EXPECT_EQ(t, umem_unmap(&um.mem, 0x517000, PAGE), 0);
    for (uint64_t nth = 1; nth <= points; nth++) {
        failpoint_arm(nth);
        int64_t err = umem_map(&um.mem, 0x517000, PAGE, rw, UMEM_ANON);
        failpoint_arm(0);
        KTEST_EXPECT_EQ(t, err, E_NOMEM);
        KTEST_EXPECT_EQ(t, umem_region_count(&um.mem), regions);
        KTEST_EXPECT_EQ(t, frame_free_count(&um.fa), free_before);
        KTEST_EXPECT_EQ(t, umem_translate(&um.mem, 0x516000, 1, NULL), 0);
        KTEST_EXPECT_EQ(t, umem_translate(&um.mem, 0x517000, 0, NULL), E_FAULT);
    }
    KTEST_EXPECT_EQ(t, umem_map(&um.mem, 0x517000, PAGE, rw, UMEM_ANON), 0x517000);
    KTEST_EXPECT_EQ(t, umem_region_count(&um.mem), regions); /* grown after all */
    KTEST_EXPECT_EQ(t, umem_map_for_another(&um.mem, 0x600000, TASK_MAP_MAX_SIZE + PAGE, rw),
                    E_RANGE);
    KTEST_EXPECT_EQ(t, umem_map_for_another(&um.mem, 0x600000, TASK_MAP_MAX_SIZE, rw), 0x600000);
    um_teardown(t);
}
