/*
 * User memory and the checked copies: every bad user pointer must come back
 * as E_FAULT (or E_INVAL), never reach memory. Runs against the host's fake
 * physical memory as well as in the kernel.
 */
#include "kernel/bump.h"
#include "kernel/frame.h"
#include "kernel/umem.h"
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

KTEST(umem, copies_round_trip_across_pages)
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

KTEST(umem, bad_pointers_are_faults)
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

KTEST(umem, strings_need_a_terminator_before_unmapped_memory)
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

KTEST(umem, map_arguments_and_partial_unmap)
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
