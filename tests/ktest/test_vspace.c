/*
 * Tests for address spaces (kernel/vspace.c) on top of the real descriptor
 * code, with a private frame allocator per case.
 *
 * Tables are real frames from ktest_env_phys_region() (fake memory on the
 * host, RAM in the kernel), but the physical addresses being mapped are
 * just numbers: a vspace never touches the memory it maps, so cases map
 * whatever alignment they need (VS_PA, 1 GiB aligned). None of these
 * vspaces is ever installed.
 *
 * Every case runs inside VS_CASE, which also checks that destroying the
 * vspace gives back every frame: whatever a case leaves mapped, no table
 * may leak.
 */
#include <stdbool.h>
#include <stdint.h>

#include "hal/mmu.h"
#include "kernel/bump.h"
#include "kernel/frame.h"
#include "kernel/vspace.h"
#include "ktest_locked.h"
#include "lib/ktest.h"
#include "lib/ktest_env_memory.h"
#include "uapi/errors.h"

#define FX_SIZE KTEST_ENV_PHYS_MAX
#define FX_META (4 * FRAME_SIZE)
#define PAGE    MMU_PAGE_SIZE
#define MIB2    (2ULL << 20)
#define GIB     (1ULL << 30)
#define VS_PA   0x400000000ULL /* 16 GiB: aligned for every block size */
#define RW      (MMU_READ | MMU_WRITE)

struct vs_fixture {
    uint64_t region;
    struct bump bump;
    struct frame_allocator fa;
    uint64_t free_at_start;
};

static struct vs_fixture fx;

static bool fx_get(struct ktest *t)
{
    int err = ktest_env_phys_region(FX_SIZE, &fx.region);
    if (err != 0) {
        ktest_fail(t, __FILE__, __LINE__, "no test region: error %d", err);
        return false;
    }
    bump_init(&fx.bump, fx.region, fx.region + FX_META);
    if (!KTEST_EXPECT_EQ(t, frame_init(&fx.fa, fx.region, fx.region + FX_SIZE, &fx.bump), 0) ||
        !KTEST_EXPECT_EQ(t, frame_add_range(&fx.fa, fx.region + FX_META, fx.region + FX_SIZE), 0)) {
        ktest_env_phys_release(fx.region, FX_SIZE);
        return false;
    }
    fx.free_at_start = frame_free_count(&fx.fa);
    return true;
}

#define VS_CASE(name, kind)                                                                        \
    static void vs_case_##name(struct ktest *t, struct vspace *vs);                                \
    KTEST_LOCKED(vspace, name)                                                                     \
    {                                                                                              \
        struct vspace vs;                                                                          \
        if (!fx_get(t)) {                                                                          \
            return;                                                                                \
        }                                                                                          \
        if (KTEST_EXPECT_EQ(t, vspace_init(&vs, kind, &fx.fa), 0)) {                               \
            vs_case_##name(t, &vs);                                                                \
            vspace_destroy(&vs);                                                                   \
            KTEST_EXPECT_EQ(t, frame_free_count(&fx.fa), fx.free_at_start);                        \
        }                                                                                          \
        ktest_env_phys_release(fx.region, FX_SIZE);                                                \
    }                                                                                              \
    static void vs_case_##name(struct ktest *t, struct vspace *vs)

/* The kind of descriptor the walk for va ends on, and at which level. */
static void expect_leaf(struct ktest *t, const struct vspace *vs, uint64_t va,
                        enum mmu_desc_kind kind, unsigned level, int line)
{
    struct vspace_walk w;

    if (vspace_walk(vs, va, &w) != 0) {
        ktest_fail(t, __FILE__, line, "walk of 0x%llx failed", (unsigned long long)va);
        return;
    }
    const struct vspace_walk_step *s = &w.step[w.steps - 1];
    if (s->decoded.kind != kind || s->level != level) {
        ktest_fail(t, __FILE__, line, "0x%llx: walk ends on kind %d at level %u, expected %d at %u",
                   (unsigned long long)va, s->decoded.kind, s->level, kind, level);
    }
}

/* Does va translate to pa? (pa 0: is it unmapped?) */
static void expect_pa(struct ktest *t, const struct vspace *vs, uint64_t va, uint64_t pa, int line)
{
    uint64_t got = 0;
    int err = vspace_translate(vs, va, &got, NULL);

    if (pa == 0 ? err != E_NOENT : (err != 0 || got != pa)) {
        ktest_fail(t, __FILE__, line, "0x%llx: translate gives %d, 0x%llx; expected 0x%llx",
                   (unsigned long long)va, err, (unsigned long long)got, (unsigned long long)pa);
    }
}

static unsigned perms_of(const struct vspace *vs, uint64_t va)
{
    unsigned perms = 0;
    vspace_translate(vs, va, NULL, &perms);
    return perms;
}

static uint64_t tlb_total(void)
{
    struct mmu_tlb_stats s;
    hal_tlb_stats(&s);
    return s.total;
}

VS_CASE(map_translate_one_page, VSPACE_USER)
{
    struct vspace_walk w;
    unsigned perms = 0;
    uint64_t pa = 0;

    KTEST_ASSERT_EQ(t, vspace_map(vs, 0x400000, 0x40001000, PAGE, RW | MMU_USER, MMU_NORMAL), 0);
    KTEST_EXPECT_EQ(t, vspace_translate(vs, 0x400123, &pa, &perms), 0);
    KTEST_EXPECT_EQ(t, pa, 0x40001123);
    KTEST_EXPECT_EQ(t, perms, RW | MMU_USER);
    expect_pa(t, vs, 0x401000, 0, __LINE__);
    expect_pa(t, vs, 0x3ff000, 0, __LINE__);
    KTEST_EXPECT_EQ(t, vs->tables, 4);
    KTEST_EXPECT_EQ(t, vs->leaves[3], 1);

    KTEST_ASSERT_EQ(t, vspace_walk(vs, 0x400123, &w), 0);
    KTEST_ASSERT_EQ(t, w.steps, 4);
    KTEST_EXPECT_EQ(t, w.step[0].table, vs->root);
    KTEST_EXPECT_EQ(t, w.step[2].index, 2);
    KTEST_EXPECT_EQ(t, w.step[2].decoded.kind, MMU_DESC_TABLE);
    KTEST_EXPECT_EQ(t, w.step[3].table, w.step[2].decoded.addr);
    KTEST_EXPECT_EQ(t, w.step[3].decoded.kind, MMU_DESC_PAGE);
    KTEST_EXPECT_FALSE(t, w.step[3].decoded.global); /* user mappings carry the ASID */
}

VS_CASE(block_when_aligned, VSPACE_USER)
{
    KTEST_ASSERT_EQ(t, vspace_map(vs, GIB, VS_PA, MIB2, RW, MMU_NORMAL), 0);
    expect_leaf(t, vs, GIB + 0x12345, MMU_DESC_BLOCK, 2, __LINE__);
    expect_pa(t, vs, GIB + 0x12345, VS_PA + 0x12345, __LINE__);
    KTEST_EXPECT_EQ(t, vs->leaves[2], 1);
    KTEST_EXPECT_EQ(t, vs->leaves[3], 0);
    KTEST_EXPECT_EQ(t, vs->tables, 3); /* root, L1, L2: no L3 */
}

VS_CASE(pages_when_pa_misaligned, VSPACE_USER)
{
    KTEST_ASSERT_EQ(t, vspace_map(vs, GIB, VS_PA + PAGE, MIB2, RW, MMU_NORMAL), 0);
    expect_leaf(t, vs, GIB, MMU_DESC_PAGE, 3, __LINE__);
    expect_pa(t, vs, GIB + MIB2 - 1, VS_PA + PAGE + MIB2 - 1, __LINE__);
    KTEST_EXPECT_EQ(t, vs->leaves[2], 0);
    KTEST_EXPECT_EQ(t, vs->leaves[3], 512);
}

VS_CASE(pages_when_va_misaligned, VSPACE_USER)
{
    KTEST_ASSERT_EQ(t, vspace_map(vs, GIB + PAGE, VS_PA + PAGE, MIB2, RW, MMU_NORMAL), 0);
    expect_leaf(t, vs, GIB + PAGE, MMU_DESC_PAGE, 3, __LINE__);
    expect_leaf(t, vs, GIB + MIB2, MMU_DESC_PAGE, 3, __LINE__);
    expect_pa(t, vs, GIB, 0, __LINE__);
    expect_pa(t, vs, GIB + MIB2 + PAGE, 0, __LINE__);
    KTEST_EXPECT_EQ(t, vs->leaves[3], 512);
    KTEST_EXPECT_EQ(t, vs->tables, 5); /* the range spans two L3 tables */
}

/*
 * [1 GiB - 2 MiB - 8 KiB, 1 GiB + 2 MiB + 12 KiB): two pages, a block below
 * the 1 GiB line (L1 entry 0), a block above it (L1 entry 1), three pages.
 */
VS_CASE(straddle_2mib_and_1gib_boundaries, VSPACE_USER)
{
    uint64_t va = GIB - MIB2 - 2 * PAGE;
    uint64_t pa = VS_PA - MIB2 - 2 * PAGE;
    uint64_t size = 2 * PAGE + 2 * MIB2 + 3 * PAGE;

    KTEST_ASSERT_EQ(t, vspace_map(vs, va, pa, size, RW, MMU_NORMAL), 0);
    KTEST_EXPECT_EQ(t, vs->leaves[2], 2);
    KTEST_EXPECT_EQ(t, vs->leaves[3], 5);
    KTEST_EXPECT_EQ(t, vs->tables, 6); /* root, L1, two L2, two L3 */
    expect_leaf(t, vs, va, MMU_DESC_PAGE, 3, __LINE__);
    expect_leaf(t, vs, GIB - MIB2, MMU_DESC_BLOCK, 2, __LINE__);
    expect_leaf(t, vs, GIB, MMU_DESC_BLOCK, 2, __LINE__);
    expect_leaf(t, vs, GIB + MIB2 + 2 * PAGE, MMU_DESC_PAGE, 3, __LINE__);
    for (uint64_t off = 0; off < size; off += PAGE) {
        expect_pa(t, vs, va + off + 8, pa + off + 8, __LINE__);
    }
    expect_pa(t, vs, va - PAGE, 0, __LINE__);
    expect_pa(t, vs, va + size, 0, __LINE__);

    /* Unmapping across the same boundaries leaves only the root. */
    KTEST_EXPECT_EQ(t, vspace_unmap(vs, va, size), 0);
    KTEST_EXPECT_EQ(t, vs->tables, 1);
    KTEST_EXPECT_EQ(t, vs->leaves[2] + vs->leaves[3], 0);
    KTEST_EXPECT_EQ(t, frame_free_count(&fx.fa), fx.free_at_start - 1);
}

VS_CASE(tables_freed_when_empty, VSPACE_USER)
{
    static const uint64_t vas[] = {0x400000, 0x401000, 0x7f0000000000, GIB * 5, 0x200000};
    uint64_t start = frame_free_count(&fx.fa);

    for (unsigned round = 0; round < 2; round++) {
        for (unsigned i = 0; i < 5; i++) {
            KTEST_EXPECT_EQ(t, vspace_map(vs, vas[i], VS_PA + i * PAGE, PAGE, RW, MMU_NORMAL), 0);
        }
        /* root; L1, L2, L3; none (same L3); L1, L2, L3; L2, L3; L3 */
        KTEST_EXPECT_EQ(t, vs->tables, 1 + 3 + 0 + 3 + 2 + 1);
        for (unsigned i = 5; i-- > 0;) { /* in the other order */
            KTEST_EXPECT_EQ(t, vspace_unmap(vs, vas[i], PAGE), 0);
        }
        KTEST_EXPECT_EQ(t, vs->tables, 1);
        KTEST_EXPECT_EQ(t, frame_free_count(&fx.fa), start);
    }
}

VS_CASE(destroy_frees_what_is_still_mapped, VSPACE_USER)
{
    /* VS_CASE checks the frames after destroy; leave plenty mapped. */
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x400000, VS_PA, 64 * PAGE, RW, MMU_NORMAL), 0);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 3 * GIB, VS_PA, 4 * MIB2, MMU_READ, MMU_NORMAL), 0);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x7ffffffff000, VS_PA, PAGE, MMU_READ, MMU_DEVICE), 0);
    KTEST_EXPECT_TRUE(t, vs->tables > 6);
}

VS_CASE(bad_arguments_change_nothing, VSPACE_USER)
{
    KTEST_ASSERT_EQ(t, vspace_map(vs, 0x400000, VS_PA, PAGE, RW, MMU_NORMAL), 0);
    KTEST_ASSERT_EQ(t, vspace_map(vs, 0x200000, VS_PA, MIB2, RW, MMU_NORMAL), 0);
    uint64_t free = frame_free_count(&fx.fa);
    uint64_t tables = vs->tables;

    /* misaligned, empty */
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x600800, VS_PA, PAGE, RW, MMU_NORMAL), E_INVAL);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x600000, VS_PA + 8, PAGE, RW, MMU_NORMAL), E_INVAL);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x600000, VS_PA, 0x800, RW, MMU_NORMAL), E_INVAL);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x600000, VS_PA, 0, RW, MMU_NORMAL), E_INVAL);
    KTEST_EXPECT_EQ(t, vspace_unmap(vs, 0x400000, 0), E_INVAL);
    KTEST_EXPECT_EQ(t, vspace_protect(vs, 0x400800, PAGE, RW), E_INVAL);
    /* permissions: none, write-only, W+X, executable device, unknown bits */
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x600000, VS_PA, PAGE, 0, MMU_NORMAL), E_INVAL);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x600000, VS_PA, PAGE, MMU_WRITE, MMU_NORMAL), E_INVAL);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x600000, VS_PA, PAGE, RW | MMU_EXEC, MMU_NORMAL), E_INVAL);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x600000, VS_PA, PAGE, MMU_READ | MMU_EXEC, MMU_DEVICE),
                    E_INVAL);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x600000, VS_PA, PAGE, RW | 0x100u, MMU_NORMAL), E_INVAL);
    KTEST_EXPECT_EQ(t, vspace_protect(vs, 0x400000, PAGE, RW | MMU_EXEC), E_INVAL);
    /* out of range: the other half, past the end, non-canonical, physical overflow */
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0xffff000000400000ULL, VS_PA, PAGE, RW, MMU_NORMAL), E_RANGE);
    KTEST_EXPECT_EQ(t, vspace_map(vs, MMU_USER_END - PAGE, VS_PA, 2 * PAGE, RW, MMU_NORMAL),
                    E_RANGE);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x0001000000000000ULL, VS_PA, PAGE, RW, MMU_NORMAL), E_RANGE);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x600000, 0xfffffffff000ULL, 2 * PAGE, RW, MMU_NORMAL),
                    E_RANGE);
    KTEST_EXPECT_EQ(t, vspace_translate(vs, 0xffff000000400000ULL, NULL, NULL), E_RANGE);
    /* overlapping: the same page, a range around it, a page inside a block */
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x400000, VS_PA, PAGE, RW, MMU_NORMAL), E_BUSY);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x3ff000, VS_PA, 3 * PAGE, RW, MMU_NORMAL), E_BUSY);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x2ff000, VS_PA, PAGE, RW, MMU_NORMAL), E_BUSY);
    expect_pa(t, vs, 0x401000, 0, __LINE__); /* nothing partial was left */
    /* unmap / protect of a hole, or of a range that is only partly mapped */
    KTEST_EXPECT_EQ(t, vspace_unmap(vs, 0x800000, PAGE), E_NOENT);
    KTEST_EXPECT_EQ(t, vspace_unmap(vs, 0x400000, 2 * PAGE), E_NOENT);
    KTEST_EXPECT_EQ(t, vspace_protect(vs, 0x400000, 2 * PAGE, MMU_READ), E_NOENT);
    expect_pa(t, vs, 0x400000, VS_PA, __LINE__);
    KTEST_EXPECT_EQ(t, perms_of(vs, 0x400000), RW);

    KTEST_EXPECT_EQ(t, frame_free_count(&fx.fa), free);
    KTEST_EXPECT_EQ(t, vs->tables, tables);
}

VS_CASE(kernel_kind_upper_half_only, VSPACE_KERNEL)
{
    struct vspace_walk w;
    uint64_t va = 0xffff800000200000ULL;

    KTEST_EXPECT_EQ(t, vs->asid, MMU_ASID_GLOBAL);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x400000, VS_PA, PAGE, RW, MMU_NORMAL), E_RANGE);
    KTEST_EXPECT_EQ(t, vspace_map(vs, MMU_KERNEL_BASE - PAGE, VS_PA, 2 * PAGE, RW, MMU_NORMAL),
                    E_RANGE);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0xfffffffffffff000ULL, VS_PA, 2 * PAGE, RW, MMU_NORMAL),
                    E_RANGE); /* wraps past 2^64 */
    KTEST_EXPECT_EQ(t, vspace_map(vs, va, VS_PA, PAGE, RW | MMU_USER, MMU_NORMAL), E_INVAL);
    KTEST_ASSERT_EQ(t, vspace_map(vs, va, VS_PA, MIB2, MMU_READ | MMU_EXEC, MMU_NORMAL), 0);
    KTEST_ASSERT_EQ(t, vspace_walk(vs, va, &w), 0);
    KTEST_EXPECT_EQ(t, w.step[0].index, 256);
    KTEST_EXPECT_EQ(t, w.steps, 3);
    KTEST_EXPECT_TRUE(t, w.step[2].decoded.global);
    KTEST_EXPECT_EQ(t, w.step[2].decoded.perms, MMU_READ | MMU_EXEC);
    /* The very last page of the address space is fine. */
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0xfffffffffffff000ULL, VS_PA, PAGE, RW, MMU_NORMAL), 0);
    expect_pa(t, vs, 0xffffffffffffffffULL, VS_PA + PAGE - 1, __LINE__);

    /* Global entries are invalidated in every ASID. */
    struct mmu_tlb_stats s;
    uint64_t before = tlb_total();
    KTEST_EXPECT_EQ(t, vspace_unmap(vs, 0xfffffffffffff000ULL, PAGE), 0);
    hal_tlb_stats(&s);
    KTEST_ASSERT_TRUE(t, s.total > before);
    KTEST_EXPECT_EQ(t, s.log[before % MMU_TLB_LOG_SIZE].va, 0xfffffffffffff000ULL);
    KTEST_EXPECT_EQ(t, s.log[before % MMU_TLB_LOG_SIZE].asid, MMU_ASID_GLOBAL);
}

VS_CASE(protect_splits_a_block, VSPACE_USER)
{
    KTEST_ASSERT_EQ(t, vspace_map(vs, MIB2, VS_PA, MIB2, RW, MMU_NORMAL), 0);
    uint64_t tables = vs->tables;
    uint64_t before = tlb_total();

    KTEST_ASSERT_EQ(t, vspace_protect(vs, MIB2 + PAGE, PAGE, MMU_READ), 0);
    /* One break-before-make for the split, one invalidation for the page made read-only. */
    KTEST_EXPECT_EQ(t, tlb_total(), before + 2);
    KTEST_EXPECT_EQ(t, vs->tables, tables + 1);
    KTEST_EXPECT_EQ(t, vs->leaves[2], 0);
    KTEST_EXPECT_EQ(t, vs->leaves[3], 512);
    expect_leaf(t, vs, MIB2, MMU_DESC_PAGE, 3, __LINE__);
    KTEST_EXPECT_EQ(t, perms_of(vs, MIB2 + PAGE), MMU_READ);
    KTEST_EXPECT_EQ(t, perms_of(vs, MIB2), RW);
    KTEST_EXPECT_EQ(t, perms_of(vs, 2 * MIB2 - PAGE), RW);
    for (uint64_t off = 0; off < MIB2; off += 64 * PAGE) {
        expect_pa(t, vs, MIB2 + off, VS_PA + off, __LINE__);
    }

    /* A whole block keeps its size; same permissions cost no TLB work. */
    KTEST_ASSERT_EQ(t, vspace_map(vs, 4 * MIB2, VS_PA, MIB2, RW, MMU_NORMAL), 0);
    before = tlb_total();
    KTEST_EXPECT_EQ(t, vspace_protect(vs, 4 * MIB2, MIB2, MMU_READ), 0);
    KTEST_EXPECT_EQ(t, tlb_total(), before + 1);
    expect_leaf(t, vs, 4 * MIB2, MMU_DESC_BLOCK, 2, __LINE__);
    KTEST_EXPECT_EQ(t, vspace_protect(vs, 4 * MIB2, MIB2, MMU_READ), 0);
    KTEST_EXPECT_EQ(t, tlb_total(), before + 1);
}

VS_CASE(unmap_splits_a_block, VSPACE_USER)
{
    KTEST_ASSERT_EQ(t, vspace_map(vs, MIB2, VS_PA, MIB2, RW, MMU_NORMAL), 0);
    uint64_t before = tlb_total();

    KTEST_ASSERT_EQ(t, vspace_unmap(vs, MIB2 + 8 * PAGE, PAGE), 0);
    KTEST_EXPECT_EQ(t, tlb_total(), before + 2);
    expect_pa(t, vs, MIB2 + 8 * PAGE, 0, __LINE__);
    expect_pa(t, vs, MIB2 + 7 * PAGE, VS_PA + 7 * PAGE, __LINE__);
    expect_pa(t, vs, MIB2 + 9 * PAGE, VS_PA + 9 * PAGE, __LINE__);
    KTEST_EXPECT_EQ(t, vs->leaves[3], 511);

    KTEST_EXPECT_EQ(t, vspace_unmap(vs, MIB2, 8 * PAGE), 0);
    KTEST_EXPECT_EQ(t, vspace_unmap(vs, MIB2 + 9 * PAGE, MIB2 - 9 * PAGE), 0);
    KTEST_EXPECT_EQ(t, vs->tables, 1);
}

/* Every entry that changes while live gets exactly one invalidation, of its VA, in our ASID. */
VS_CASE(tlb_invalidation_per_changed_entry, VSPACE_USER)
{
    struct mmu_tlb_stats s;

    uint64_t before = tlb_total();
    KTEST_ASSERT_EQ(t, vspace_map(vs, 0x400000, VS_PA, 3 * PAGE, RW, MMU_NORMAL), 0);
    KTEST_EXPECT_EQ(t, tlb_total(), before); /* new entries: nothing cached to drop */

    KTEST_EXPECT_EQ(t, vspace_protect(vs, 0x400000, 3 * PAGE, MMU_READ), 0);
    KTEST_EXPECT_EQ(t, tlb_total(), before + 3);

    before = tlb_total();
    KTEST_EXPECT_EQ(t, vspace_unmap(vs, 0x400000, 3 * PAGE), 0);
    hal_tlb_stats(&s);
    /* three pages, then the L3, L2 and L1 tables that became empty (named by the range start) */
    KTEST_ASSERT_EQ(t, s.total, before + 6);
    for (unsigned i = 0; i < 6; i++) {
        const struct mmu_tlb_op *op = &s.log[(before + i) % MMU_TLB_LOG_SIZE];
        KTEST_EXPECT_EQ(t, op->kind, MMU_TLB_OP_VA);
        KTEST_EXPECT_EQ(t, op->asid, vs->asid);
        KTEST_EXPECT_EQ(t, op->va, 0x400000 + (i < 3 ? i : 0) * PAGE);
    }
}

/* Allocates from fa until only keep frames are left free; returns how many it took. */
static unsigned drain_to(struct frame_allocator *fa, uint64_t *pas, unsigned max, uint64_t keep)
{
    unsigned n = 0;
    while (n < max && frame_free_count(fa) > keep && frame_alloc(fa, &pas[n]) == 0) {
        n++;
    }
    return n;
}

VS_CASE(out_of_memory_leaves_nothing_behind, VSPACE_USER)
{
    static uint64_t taken[FX_SIZE / FRAME_SIZE];

    KTEST_ASSERT_EQ(t, vspace_map(vs, 0x400000, VS_PA, PAGE, RW, MMU_NORMAL), 0);
    KTEST_ASSERT_EQ(t, vspace_map(vs, 2 * GIB, VS_PA, MIB2, RW, MMU_NORMAL), 0);
    uint64_t tables = vs->tables;

    /* Two frames left: a page under a fresh L0 entry needs three tables. */
    unsigned n = drain_to(&fx.fa, taken, FX_SIZE / FRAME_SIZE, 2);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x100000000000ULL, VS_PA, PAGE, RW, MMU_NORMAL), E_NOMEM);
    KTEST_EXPECT_EQ(t, frame_free_count(&fx.fa), 2);
    KTEST_EXPECT_EQ(t, vs->tables, tables);
    expect_pa(t, vs, 0x100000000000ULL, 0, __LINE__);

    /* No frame left: the first page fits an existing table, the second needs a new one. */
    n += drain_to(&fx.fa, taken + n, FX_SIZE / FRAME_SIZE - n, 0);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x5ff000, VS_PA, 2 * PAGE, RW, MMU_NORMAL), E_NOMEM);
    expect_pa(t, vs, 0x5ff000, 0, __LINE__);
    expect_pa(t, vs, 0x400000, VS_PA, __LINE__);
    KTEST_EXPECT_EQ(t, vs->tables, tables);

    /* A split needs a frame too: the block stays whole and writable. */
    KTEST_EXPECT_EQ(t, vspace_protect(vs, 2 * GIB, PAGE, MMU_READ), E_NOMEM);
    KTEST_EXPECT_EQ(t, vspace_unmap(vs, 2 * GIB, PAGE), E_NOMEM);
    expect_leaf(t, vs, 2 * GIB, MMU_DESC_BLOCK, 2, __LINE__);
    KTEST_EXPECT_EQ(t, perms_of(vs, 2 * GIB), RW);
    KTEST_EXPECT_EQ(t, frame_free_count(&fx.fa), 0);

    while (n > 0) {
        frame_free(&fx.fa, taken[--n]);
    }
    /* And with memory back, the same calls work. */
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x5ff000, VS_PA, 2 * PAGE, RW, MMU_NORMAL), 0);
    KTEST_EXPECT_EQ(t, vspace_protect(vs, 2 * GIB, PAGE, MMU_READ), 0);
}

KTEST_LOCKED(vspace, asids_are_unique_and_reused)
{
    struct vspace a;
    struct vspace b;
    struct mmu_tlb_stats s;

    if (!fx_get(t)) {
        return;
    }
    if (KTEST_EXPECT_EQ(t, vspace_init(&a, VSPACE_USER, &fx.fa), 0)) {
        if (KTEST_EXPECT_EQ(t, vspace_init(&b, VSPACE_USER, &fx.fa), 0)) {
            KTEST_EXPECT_NE(t, a.asid, b.asid);
            KTEST_EXPECT_NE(t, a.asid, MMU_ASID_RESERVED);
            KTEST_EXPECT_TRUE(t, b.asid < (1u << MMU_ASID_MAX_BITS));
            KTEST_EXPECT_EQ(t, vspace_activate(&b), 0);
            vspace_deactivate();
            uint32_t freed = b.asid;
            uint64_t before = tlb_total();
            vspace_destroy(&b);
            hal_tlb_stats(&s);
            KTEST_EXPECT_EQ(t, s.log[before % MMU_TLB_LOG_SIZE].kind, MMU_TLB_OP_ASID);
            KTEST_EXPECT_EQ(t, s.log[before % MMU_TLB_LOG_SIZE].asid, freed);
            if (KTEST_EXPECT_EQ(t, vspace_init(&b, VSPACE_USER, &fx.fa), 0)) {
                KTEST_EXPECT_EQ(t, b.asid, freed); /* the lowest free one comes back */
                vspace_destroy(&b);
            }
        }
        vspace_destroy(&a);
    }
    KTEST_EXPECT_EQ(t, frame_free_count(&fx.fa), fx.free_at_start);
    ktest_env_phys_release(fx.region, FX_SIZE);
}

#define ASID_SPACES 6

/* The ASIDs of the current generation held by spaces[] are all different,
 * and the installed one (if any) holds one. */
static void expect_asids_distinct(struct ktest *t, struct vspace *spaces, unsigned n,
                                  struct vspace *installed)
{
    struct vspace_asid_info info;

    vspace_asid_info(&info);
    for (unsigned i = 0; i < n; i++) {
        struct vspace *a = &spaces[i];
        if (a->installed_root == 0) {
            KTEST_EXPECT_NE(t, a, installed); /* lost its ASID: not installed */
            continue;
        }
        KTEST_EXPECT_EQ(t, a->asid_generation, info.generation);
        KTEST_EXPECT_TRUE(t, a->asid != MMU_ASID_RESERVED && a->asid < (1u << info.bits));
        for (unsigned j = i + 1; j < n; j++) {
            if (spaces[j].installed_root != 0) {
                KTEST_EXPECT_NE(t, a->asid, spaces[j].asid);
            }
        }
    }
}

/*
 * More address spaces than ASIDs: with 2-bit ASIDs (three to hand out),
 * six spaces are installed in turn, again and again. Every fourth one
 * needs an ASID nobody has: the generation rolls over. Each rollover
 * invalidates the whole TLB, leaves the installed space its ASID, and takes
 * the others' back (installed_root 0) for new ones at their next install;
 * at no time do two spaces of the generation share an ASID.
 */
KTEST_LOCKED(vspace, asid_generations_roll_over)
{
    struct vspace spaces[ASID_SPACES];
    struct vspace_asid_info start, info;
    struct mmu_tlb_stats s;
    bool alive[ASID_SPACES] = {false};
    unsigned made = 0;

    if (!fx_get(t)) {
        return;
    }
    vspace_asid_configure(2);
    vspace_asid_info(&start);
    KTEST_EXPECT_EQ(t, start.bits, 2);
    for (; made < ASID_SPACES; made++) {
        if (!KTEST_EXPECT_EQ(t, vspace_init(&spaces[made], VSPACE_USER, &fx.fa), 0)) {
            break;
        }
        alive[made] = true;
    }
    if (made == ASID_SPACES) {
        for (unsigned round = 0; round < 4 * ASID_SPACES; round++) {
            struct vspace *next = &spaces[(round * 5) % ASID_SPACES];
            uint64_t rollovers_before, invalidations_before;
            vspace_asid_info(&info);
            rollovers_before = info.rollovers;
            hal_tlb_stats(&s);
            invalidations_before = s.count[MMU_TLB_OP_ALL];
            uint32_t kept = next->installed_root ? next->asid : 0;

            KTEST_EXPECT_EQ(t, vspace_activate(next), 0);
            KTEST_EXPECT_NE(t, next->installed_root, 0);
            KTEST_EXPECT_EQ(t, hal_mmu_installed_user_root(), next->installed_root);
            if (kept) {
                KTEST_EXPECT_EQ(t, next->asid, kept); /* a held ASID stays */
            }
            vspace_asid_info(&info);
            hal_tlb_stats(&s);
            /* One full invalidation per rollover, and none without. */
            KTEST_EXPECT_EQ(t, s.count[MMU_TLB_OP_ALL] - invalidations_before,
                            info.rollovers - rollovers_before);
            expect_asids_distinct(t, spaces, ASID_SPACES, next);
        }
        vspace_asid_info(&info);
        KTEST_EXPECT_TRUE(t, info.rollovers >= start.rollovers + 4);

        /* A rollover while a space is installed and running (here, one
         * that a new space's making causes): it keeps its ASID, which
         * TTBR0 still holds, and nobody else gets it. A new generation with
         * nothing installed first, then all three ASIDs held. */
        struct vspace *installed = &spaces[0];
        struct vspace extra;
        vspace_deactivate();
        vspace_asid_configure(2);
        vspace_activate(&spaces[1]);
        vspace_activate(&spaces[2]);
        vspace_activate(installed);
        uint32_t asid = installed->asid;
        vspace_asid_info(&start);
        KTEST_EXPECT_EQ(t, start.in_use, 3);
        if (KTEST_EXPECT_EQ(t, vspace_init(&extra, VSPACE_USER, &fx.fa), 0)) {
            vspace_asid_info(&info);
            KTEST_EXPECT_EQ(t, info.rollovers, start.rollovers + 1);
            KTEST_EXPECT_EQ(t, installed->asid, asid);
            KTEST_EXPECT_EQ(t, installed->installed_root, hal_mmu_installed_user_root());
            KTEST_EXPECT_NE(t, extra.asid, asid);
            KTEST_EXPECT_EQ(t, spaces[1].installed_root, 0);
            KTEST_EXPECT_EQ(t, spaces[2].installed_root, 0);
            expect_asids_distinct(t, spaces, ASID_SPACES, installed);
            vspace_destroy(&extra);
        }

        /* A space that lost its ASID gives nothing back when it dies: the
         * ASID may be another's now. */
        for (unsigned i = 1; i < ASID_SPACES; i++) {
            if (spaces[i].installed_root == 0) {
                vspace_asid_info(&start);
                hal_tlb_stats(&s);
                uint64_t asid_ops = s.count[MMU_TLB_OP_ASID];
                vspace_destroy(&spaces[i]);
                alive[i] = false;
                vspace_asid_info(&info);
                hal_tlb_stats(&s);
                KTEST_EXPECT_EQ(t, info.in_use, start.in_use);
                KTEST_EXPECT_EQ(t, s.count[MMU_TLB_OP_ASID], asid_ops);
                break;
            }
        }
    }
    vspace_deactivate();
    for (unsigned i = 0; i < made; i++) {
        if (alive[i]) {
            vspace_destroy(&spaces[i]);
        }
    }
    vspace_asid_configure(0);
    vspace_asid_info(&info);
    KTEST_EXPECT_EQ(t, info.bits, info.cpu_bits);
}

KTEST_LOCKED(vspace, kernel_kind_cannot_be_activated)
{
    struct vspace k;

    if (!fx_get(t)) {
        return;
    }
    if (KTEST_EXPECT_EQ(t, vspace_init(&k, VSPACE_KERNEL, &fx.fa), 0)) {
        KTEST_EXPECT_EQ(t, vspace_activate(&k), E_INVAL);
        vspace_destroy(&k);
    }
    ktest_env_phys_release(fx.region, FX_SIZE);
}

/* A user mapping reaches only frames tagged as user memory; the audit sees
 * a user page whose frame was freed, and a table that is not one. */
VS_CASE(user_mappings_need_user_frames, VSPACE_USER)
{
    struct vspace_audit a;
    uint64_t pa;

    KTEST_ASSERT_EQ(t, frame_alloc(&fx.fa, &pa), 0);
    KTEST_EXPECT_EQ(t, frame_use_of(&fx.fa, pa), FRAME_USE_KERNEL);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x400000, pa, PAGE, RW | MMU_USER, MMU_NORMAL), E_PERM);
    KTEST_EXPECT_EQ(t, frame_use_of(&fx.fa, vs->root), FRAME_USE_TABLE);
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x400000, vs->root, PAGE, MMU_READ | MMU_USER, MMU_NORMAL),
                    E_PERM);
    /* The kernel may still map kernel data for itself, without MMU_USER. */
    KTEST_EXPECT_EQ(t, vspace_map(vs, 0x400000, pa, PAGE, RW, MMU_NORMAL), 0);
    KTEST_EXPECT_EQ(t, vspace_unmap(vs, 0x400000, PAGE), 0);

    frame_set_use(&fx.fa, pa, FRAME_USE_USER);
    KTEST_ASSERT_EQ(t, vspace_map(vs, 0x400000, pa, PAGE, RW | MMU_USER, MMU_NORMAL), 0);
    vspace_audit(vs, &a);
    KTEST_EXPECT_EQ(t, a.errors, 0);
    KTEST_EXPECT_EQ(t, a.user_pages, 1);
    KTEST_EXPECT_EQ(t, a.tables, 4);

    /* Freed while still mapped: exactly what must never happen, caught. */
    frame_free(&fx.fa, pa);
    vspace_audit(vs, &a);
    KTEST_EXPECT_EQ(t, a.errors, 1);
    KTEST_EXPECT_EQ(t, a.first_va, 0x400000);
    KTEST_EXPECT_EQ(t, a.first_pa, pa);
    KTEST_EXPECT_EQ(t, vspace_unmap(vs, 0x400000, PAGE), 0);
    vspace_audit(vs, &a);
    KTEST_EXPECT_EQ(t, a.errors, 0);
    KTEST_EXPECT_EQ(t, a.tables, 1); /* the empty tables went with the page */
}

/* The last descriptor of va's walk, raw (0 if the walk fails). */
static uint64_t leaf_desc(const struct vspace *vs, uint64_t va)
{
    struct vspace_walk w;

    return vspace_walk(vs, va, &w) == 0 ? w.step[w.steps - 1].desc : 0;
}

/*
 * vspace_map_page, the one-page shortcut SYS_MAP takes, against vspace_map
 * of one page on a twin: every call gives the same answer, and afterwards
 * both trees hold the same descriptors and counts. The cases cover its own
 * walk (a page beside one already mapped), each way it hands over to
 * vspace_map (no table yet at each level, a block in the way, bad
 * arguments, a frame the kernel owns) and the page already taken.
 */
VS_CASE(map_page_agrees_with_map, VSPACE_USER)
{
    const unsigned urw = RW | MMU_USER;
    uint64_t kernel_frame;
    struct vspace twin;
    struct {
        uint64_t va, pa;
        unsigned perms;
    } calls[] = {
        {0x400000, VS_PA, urw},            /* no tables yet: vspace_map builds them */
        {0x401000, VS_PA + PAGE, urw},     /* the shortcut's own walk */
        {0x401000, VS_PA + 2 * PAGE, urw}, /* taken: E_BUSY */
        {0x5ff000, VS_PA + 3 * PAGE, MMU_READ | MMU_USER}, /* same L3 table, last entry */
        {0x600000, VS_PA + 4 * PAGE, urw},                 /* a new L3 table */
        {GIB, VS_PA + 5 * PAGE, urw},                      /* a new L2 table */
        {0x8000000000ULL, VS_PA + 6 * PAGE, urw},          /* a new L1 table */
        {0x402800, VS_PA, urw},                            /* misaligned va */
        {0x403000, VS_PA + 8, urw},                        /* misaligned pa */
        {0x403000, VS_PA, RW},                             /* not a user page */
        {0x403000, VS_PA, RW | MMU_EXEC | MMU_USER},       /* writable and executable */
        {MMU_USER_END, VS_PA, urw},                        /* past user space */
        {0x404000, 0, urw},                                /* the kernel's frame, filled in below */
        {0x402000, VS_PA + 7 * PAGE, MMU_READ | MMU_EXEC | MMU_USER},
    };

    KTEST_ASSERT_EQ(t, frame_alloc(&fx.fa, &kernel_frame), 0);
    calls[12].pa = kernel_frame;
    KTEST_ASSERT_EQ(t, vspace_init(&twin, VSPACE_USER, &fx.fa), 0);
    /* A 2 MiB block in the way of one page: both refuse it the same way. */
    KTEST_EXPECT_EQ(t, vspace_map(vs, 2 * GIB, VS_PA, MIB2, urw, MMU_NORMAL), 0);
    KTEST_EXPECT_EQ(t, vspace_map(&twin, 2 * GIB, VS_PA, MIB2, urw, MMU_NORMAL), 0);
    KTEST_EXPECT_EQ(t, vspace_map_page(vs, 2 * GIB + PAGE, VS_PA, urw),
                    vspace_map(&twin, 2 * GIB + PAGE, VS_PA, PAGE, urw, MMU_NORMAL));
    for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        int fast = vspace_map_page(vs, calls[i].va, calls[i].pa, calls[i].perms);
        int general = vspace_map(&twin, calls[i].va, calls[i].pa, PAGE, calls[i].perms, MMU_NORMAL);
        if (fast != general) {
            ktest_fail(t, __FILE__, __LINE__, "call %u (va 0x%llx): map_page %d, map %d", i,
                       (unsigned long long)calls[i].va, fast, general);
        }
    }
    KTEST_EXPECT_EQ(t, vspace_map_page(vs, 0x401000, VS_PA, urw), E_BUSY);
    for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        uint64_t va = calls[i].va & ~(PAGE - 1);
        if (va < MMU_USER_END && leaf_desc(vs, va) != leaf_desc(&twin, va)) {
            ktest_fail(t, __FILE__, __LINE__, "0x%llx: descriptors 0x%llx and 0x%llx differ",
                       (unsigned long long)va, (unsigned long long)leaf_desc(vs, va),
                       (unsigned long long)leaf_desc(&twin, va));
        }
    }
    expect_pa(t, vs, 0x401000, VS_PA + PAGE, __LINE__);
    expect_pa(t, vs, 0x404000, 0, __LINE__);
    KTEST_EXPECT_EQ(t, vs->tables, twin.tables);
    for (unsigned level = 0; level < MMU_LEVELS; level++) {
        KTEST_EXPECT_EQ(t, vs->leaves[level], twin.leaves[level]);
    }
    vspace_destroy(&twin);
    frame_free(&fx.fa, kernel_frame);
}
