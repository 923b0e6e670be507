/*
 * Tests for the bump allocator (kernel/bump.c) and the buddy frame allocator
 * (kernel/frame.c).
 *
 * Each case builds a private allocator over a region from
 * ktest_env_phys_region(): a host buffer behind a fake HAL on the host,
 * real RAM in the kernel. The region's first FX_META_BYTES feed a bump
 * allocator for meta[]; the rest is the pool. Regions are only frame-aligned,
 * so cases that need an aligned block carve a window out of the pool.
 *
 * Expectations are exact: block counts per order, addresses, and free
 * counters that must come back to where they started.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/memory.h"
#include "kernel/boot_info.h"
#include "kernel/bump.h"
#include "kernel/frame.h"
#include "lib/ktest_env_memory.h"
#include "ktest_locked.h"
#include "lib/ktest.h"
#include "lib/string.h"
#include "uapi/errors.h"

#define FX_SIZE       KTEST_ENV_PHYS_MAX
#define FX_META_BYTES (16 * FRAME_SIZE)
#define FX_FRAMES     (FX_SIZE / FRAME_SIZE)
#define WIN_ORDER     8 /* 1 MiB windows: always fit, aligned, in a 4 MiB region */
#define WIN_SIZE      FRAME_ORDER_SIZE(WIN_ORDER)
#define WIN_FRAMES    (1u << WIN_ORDER)

/* One case's private world. Static, like every big test object (stack < 2 KiB). */
struct frame_fixture {
    uint64_t region;
    struct bump bump;
    struct frame_allocator fa;
};

static struct frame_fixture fx;
static uint64_t fx_pas[FX_FRAMES];
static uint8_t fx_orders[FX_FRAMES];
static uint8_t fx_model[FX_FRAMES / 8];

static bool fx_get(struct ktest *t)
{
    memset(&fx, 0, sizeof(fx));
    int err = ktest_env_phys_region(FX_SIZE, &fx.region);
    if (err != 0) {
        ktest_fail(t, __FILE__, __LINE__, "no test region: error %d", err);
        return false;
    }
    bump_init(&fx.bump, fx.region, fx.region + FX_META_BYTES);
    return true;
}

static void fx_put(void)
{
    ktest_env_phys_release(fx.region, FX_SIZE);
}

/* Every case body runs between fx_get() and fx_put(), so an early return never leaks the region. */
#define FRAME_CASE(name)                                                                           \
    static void frame_case_##name(struct ktest *t, struct frame_allocator *fa);                    \
    KTEST_LOCKED(frame, name)                                                                      \
    {                                                                                              \
        if (fx_get(t)) {                                                                           \
            frame_case_##name(t, &fx.fa);                                                          \
            fx_put();                                                                              \
        }                                                                                          \
    }                                                                                              \
    static void frame_case_##name(struct ktest *t, struct frame_allocator *fa)

static uint64_t pool_base(void)
{
    return fx.region + FX_META_BYTES;
}

static uint64_t pool_end(void)
{
    return fx.region + FX_SIZE;
}

/* A WIN_SIZE-aligned 1 MiB window inside the pool. */
static uint64_t win_base(void)
{
    return (pool_base() + WIN_SIZE - 1) & ~(WIN_SIZE - 1);
}

static uint64_t frame_addr(uint64_t base, unsigned index)
{
    return base + (uint64_t)index * FRAME_SIZE;
}

/* Sets fa up over one fresh window; 1 on success. */
static int win_setup(struct ktest *t, struct frame_allocator *fa)
{
    return KTEST_EXPECT_EQ(t, frame_init(fa, win_base(), win_base() + WIN_SIZE, &fx.bump), 0) &&
           KTEST_EXPECT_EQ(t, frame_add_range(fa, win_base(), win_base() + WIN_SIZE), 0);
}

/* Checks the free block count of every order against want[] (FRAME_ORDERS entries). */
static void expect_blocks(struct ktest *t, const struct frame_allocator *fa, const uint64_t *want,
                          int line)
{
    for (unsigned order = 0; order <= FRAME_MAX_ORDER; order++) {
        if (frame_free_blocks(fa, order) != want[order]) {
            ktest_fail(t, __FILE__, line, "order %u: %llu free blocks, expected %llu", order,
                       (unsigned long long)frame_free_blocks(fa, order),
                       (unsigned long long)want[order]);
        }
    }
}

/* Allocates single frames until E_NOMEM, into fx_pas[]; returns how many. */
static unsigned drain(struct frame_allocator *fa)
{
    unsigned n = 0;
    uint64_t pa;

    while (n < FX_FRAMES && frame_alloc(fa, &pa) == 0) {
        fx_pas[n++] = pa;
    }
    return n;
}

static void free_all(struct ktest *t, struct frame_allocator *fa, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        KTEST_EXPECT_EQ(t, frame_free(fa, fx_pas[i]), 0);
    }
}

KTEST_LOCKED(frame, bump_basics)
{
    struct bump b;

    bump_init(&b, 0x40001000, 0x40003000);
    KTEST_EXPECT_EQ(t, bump_alloc(&b, 100, 8), 0x40001000);
    KTEST_EXPECT_EQ(t, bump_alloc(&b, 1, 1), 0x40001064);
    KTEST_EXPECT_EQ(t, bump_alloc(&b, 16, 16), 0x40001070);
    KTEST_EXPECT_EQ(t, bump_alloc(&b, 0x2000, 8), 0); /* too big: the cursor stays put */
    KTEST_EXPECT_EQ(t, bump_alloc(&b, (size_t)-1, 1), 0);
    KTEST_EXPECT_EQ(t, bump_alloc(&b, 8, 3), 0); /* not a power of two */
    KTEST_EXPECT_EQ(t, bump_alloc(&b, 0, 8), 0);
    KTEST_EXPECT_EQ(t, bump_alloc(&b, 0x1000, 0x1000), 0x40002000);
    KTEST_EXPECT_EQ(t, bump_used(&b), 0x2000);
    KTEST_EXPECT_EQ(t, bump_alloc(&b, 1, 1), 0); /* exactly full */

    bump_init(&b, 0x40001000, 0x40003000);
    KTEST_EXPECT_EQ(t, bump_alloc(&b, 0x1000, 1), 0x40001000);
    bump_retire(&b);
    KTEST_EXPECT_EQ(t, bump_alloc(&b, 1, 1), 0);
    KTEST_EXPECT_EQ(t, bump_used(&b), 0x1000);
}

KTEST_LOCKED(frame, bump_from_boot_info)
{
    static struct boot_info bi;
    struct bump b;

    memset(&bi, 0, sizeof(bi));
    bi.ram[0] = (struct mem_range){0x40000000, 0x10000000};
    bi.ram_count = 1;
    bi.kernel = (struct mem_range){0x40200000, 0x12345};
    bi.dtb = (struct mem_range){0x40000000, 0x100000}; /* below the kernel: no obstacle */
    KTEST_EXPECT_EQ(t, bump_init_from_boot_info(&b, &bi), 0);
    KTEST_EXPECT_EQ(t, b.start, 0x40213000);
    KTEST_EXPECT_EQ(t, b.end, 0x50000000);

    /* A reserved range over the first free frame pushes the start; one above caps the end. */
    bi.reserved[0] = (struct mem_range){0x40213800, 0x1000};
    bi.reserved[1] = (struct mem_range){0x48000010, 0x10};
    bi.reserved_count = 2;
    KTEST_EXPECT_EQ(t, bump_init_from_boot_info(&b, &bi), 0);
    KTEST_EXPECT_EQ(t, b.start, 0x40215000);
    KTEST_EXPECT_EQ(t, b.end, 0x48000000);

    bi.kernel.base = 0x30000000; /* not in RAM */
    KTEST_EXPECT_EQ(t, bump_init_from_boot_info(&b, &bi), E_INVAL);
}

FRAME_CASE(split_merge)
{
    static const uint64_t fresh[FRAME_ORDERS] = {[WIN_ORDER] = 1};
    static const uint64_t split[FRAME_ORDERS] = {1, 1, 1, 1, 1, 1, 1, 1};
    static const uint64_t half[FRAME_ORDERS] = {0, 0, 0, 1, 1, 1, 1, 1};
    uint64_t w = win_base();
    uint64_t a, b, c;

    KTEST_ASSERT_TRUE(t, win_setup(t, fa));
    expect_blocks(t, fa, fresh, __LINE__);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), WIN_FRAMES);
    KTEST_EXPECT_EQ(t, frame_used_count(fa), 0);

    /* One frame from a fresh order-8 block leaves one free buddy at each order 0..7. */
    KTEST_ASSERT_EQ(t, frame_alloc(fa, &a), 0);
    KTEST_EXPECT_EQ(t, a, w);
    expect_blocks(t, fa, split, __LINE__);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), WIN_FRAMES - 1);
    KTEST_EXPECT_EQ(t, frame_used_count(fa), 1);

    /* The order-0 buddy goes next, then an order-3 block from the order-3 buddy at +32 KiB. */
    KTEST_ASSERT_EQ(t, frame_alloc(fa, &b), 0);
    KTEST_EXPECT_EQ(t, b, w + FRAME_SIZE);
    KTEST_ASSERT_EQ(t, frame_alloc_order(fa, 3, &c), 0);
    KTEST_EXPECT_EQ(t, c, w + FRAME_ORDER_SIZE(3));
    KTEST_EXPECT_EQ(t, frame_used_count(fa), 10);

    /* Freeing a and b merges orders 0..2 up to an order-3 block; c still blocks the rest. */
    KTEST_EXPECT_EQ(t, frame_free(fa, a), 0);
    KTEST_EXPECT_EQ(t, frame_free_blocks(fa, 0), 1);
    KTEST_EXPECT_EQ(t, frame_free(fa, b), 0);
    expect_blocks(t, fa, half, __LINE__);

    KTEST_EXPECT_EQ(t, frame_free_order(fa, c, 3), 0);
    expect_blocks(t, fa, fresh, __LINE__);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), WIN_FRAMES);
    KTEST_EXPECT_EQ(t, frame_used_count(fa), 0);
}

/* The stash keeps freed single frames out of the buddy lists, hands the
 * latest back first, still catches a double free, and gives everything
 * back to the lists when a bigger block is wanted or when it is turned off. */
FRAME_CASE(stash)
{
    static const uint64_t fresh[FRAME_ORDERS] = {[WIN_ORDER] = 1};
    static const uint64_t two_used[FRAME_ORDERS] = {0, 1, 1, 1, 1, 1, 1, 1};
    uint64_t a, b, c;

    KTEST_ASSERT_TRUE(t, win_setup(t, fa));
    frame_stash_enable(fa, true);
    KTEST_ASSERT_EQ(t, frame_alloc(fa, &a), 0);
    KTEST_ASSERT_EQ(t, frame_alloc(fa, &b), 0);
    KTEST_EXPECT_EQ(t, frame_free(fa, a), 0);
    KTEST_EXPECT_EQ(t, frame_free(fa, b), 0);
    /* Both free, neither merged: the lists look as with b still used. */
    KTEST_EXPECT_EQ(t, frame_free_count(fa), WIN_FRAMES);
    KTEST_EXPECT_EQ(t, frame_free_blocks(fa, 0), 0);
    KTEST_EXPECT_EQ(t, frame_free(fa, a), E_INVAL); /* a double free all the same */
    KTEST_EXPECT_EQ(t, fa->double_frees, 1);
    KTEST_ASSERT_EQ(t, frame_alloc(fa, &c), 0);
    KTEST_EXPECT_EQ(t, c, b); /* the latest first */
    KTEST_EXPECT_EQ(t, frame_use_of(fa, c), FRAME_USE_KERNEL);
    KTEST_EXPECT_EQ(t, ((const uint64_t *)hal_phys_to_virt(c))[0], 0);
    KTEST_EXPECT_EQ(t, frame_free(fa, c), 0);

    /* The whole window at once: only after the stash merges back. */
    KTEST_ASSERT_EQ(t, frame_alloc_order(fa, WIN_ORDER, &c), 0);
    KTEST_EXPECT_EQ(t, fa->stashed, 0);
    KTEST_EXPECT_EQ(t, frame_free_order(fa, c, WIN_ORDER), 0);
    expect_blocks(t, fa, fresh, __LINE__);

    KTEST_ASSERT_EQ(t, frame_alloc(fa, &a), 0);
    KTEST_ASSERT_EQ(t, frame_alloc(fa, &b), 0);
    KTEST_EXPECT_EQ(t, frame_free(fa, b), 0);
    expect_blocks(t, fa, two_used, __LINE__); /* b stashed: the lists as if b were used */
    KTEST_EXPECT_EQ(t, frame_free(fa, a), 0);
    frame_stash_enable(fa, false);
    expect_blocks(t, fa, fresh, __LINE__);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), WIN_FRAMES);
}

static uint64_t marker(uint64_t pa)
{
    return pa ^ 0x5eed5eed00000000ULL;
}

/* Stamps both ends of each frame of a block, so an overlapping block would clobber them. */
static void mark_block(uint64_t pa, unsigned order, bool set, bool *ok)
{
    for (uint64_t f = pa; f < pa + FRAME_ORDER_SIZE(order); f += FRAME_SIZE) {
        uint64_t *w = hal_phys_to_virt(f);
        uint64_t *last = w + FRAME_SIZE / sizeof(uint64_t) - 1;
        if (set) {
            *w = marker(f);
            *last = ~marker(f);
        } else if (*w != marker(f) || *last != ~marker(f)) {
            *ok = false;
        }
    }
}

static bool model_get(unsigned i)
{
    return fx_model[i / 8] & (1u << (i % 8));
}

static void model_put(unsigned i, bool v)
{
    fx_model[i / 8] =
        (uint8_t)(v ? fx_model[i / 8] | (1u << (i % 8)) : fx_model[i / 8] & ~(1u << (i % 8)));
}

/* Checks and applies a fresh allocation to the model; false on the first inconsistency. */
static bool model_alloc(struct ktest *t, uint64_t pa, unsigned order)
{
    if ((pa & (FRAME_ORDER_SIZE(order) - 1)) != 0 || pa < pool_base() ||
        pa + FRAME_ORDER_SIZE(order) > pool_end()) {
        ktest_fail(t, __FILE__, __LINE__, "order %u block at 0x%llx: misaligned or outside pool",
                   order, (unsigned long long)pa);
        return false;
    }
    unsigned first = (unsigned)((pa - fx.region) / FRAME_SIZE);
    for (unsigned i = first; i < first + (1u << order); i++) {
        if (model_get(i)) {
            ktest_fail(t, __FILE__, __LINE__, "frame 0x%llx handed out twice",
                       (unsigned long long)frame_addr(fx.region, i));
            return false;
        }
        model_put(i, true);
    }
    return true;
}

FRAME_CASE(random_no_overlap)
{
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    unsigned live = 0;
    unsigned nomem = 0;
    uint64_t model_used = 0;
    uint64_t start_blocks[FRAME_ORDERS];
    bool ok = true;

    KTEST_ASSERT_EQ(t, frame_init(fa, pool_base(), pool_end(), &fx.bump), 0);
    KTEST_ASSERT_EQ(t, frame_add_range(fa, pool_base(), pool_end()), 0);
    uint64_t total = frame_free_count(fa);
    KTEST_EXPECT_EQ(t, total, FX_FRAMES - FX_META_BYTES / FRAME_SIZE);
    for (unsigned order = 0; order <= FRAME_MAX_ORDER; order++) {
        start_blocks[order] = frame_free_blocks(fa, order);
    }
    memset(fx_model, 0, sizeof(fx_model));

    /* Allocations outnumber frees 3:2, so the pool fills up and E_NOMEM gets exercised too. */
    for (int op = 0; op < 5000 && ok; op++) {
        uint64_t r = ktest_rand(&seed);
        if (live > 0 && r % 5 < 2) {
            unsigned i = (unsigned)((r >> 16) % live);
            uint64_t pa = fx_pas[i];
            unsigned order = fx_orders[i];
            mark_block(pa, order, false, &ok);
            if (!ok) {
                ktest_fail(t, __FILE__, __LINE__, "op %d: block 0x%llx was overwritten", op,
                           (unsigned long long)pa);
            }
            unsigned first = (unsigned)((pa - fx.region) / FRAME_SIZE);
            for (unsigned f = first; f < first + (1u << order); f++) {
                model_put(f, false);
            }
            model_used -= 1u << order;
            ok = KTEST_EXPECT_EQ(t, frame_free_order(fa, pa, order), 0) && ok;
            fx_pas[i] = fx_pas[live - 1];
            fx_orders[i] = fx_orders[live - 1];
            live--;
        } else {
            unsigned order = (unsigned)((r >> 16) % 4);
            uint64_t pa;
            int err = frame_alloc_order(fa, order, &pa);
            if (err == 0) {
                ok = model_alloc(t, pa, order);
                mark_block(pa, order, true, &ok);
                fx_pas[live] = pa;
                fx_orders[live] = (uint8_t)order;
                live++;
                model_used += 1u << order;
            } else {
                /* E_NOMEM is right exactly when no block of this order or larger is free. */
                ok = KTEST_EXPECT_EQ(t, err, E_NOMEM);
                nomem++;
                for (unsigned k = order; k <= FRAME_MAX_ORDER; k++) {
                    ok = KTEST_EXPECT_EQ(t, frame_free_blocks(fa, k), 0) && ok;
                }
            }
        }
        ok = ok && KTEST_EXPECT_EQ(t, frame_used_count(fa), model_used) &&
             KTEST_EXPECT_EQ(t, frame_free_count(fa), total - model_used);
    }
    /* The sequence must have driven the pool into exhaustion, or E_NOMEM went untested. */
    KTEST_EXPECT_TRUE(t, nomem > 0);
    for (unsigned i = 0; i < live; i++) {
        KTEST_EXPECT_EQ(t, frame_free_order(fa, fx_pas[i], fx_orders[i]), 0);
    }
    KTEST_EXPECT_EQ(t, frame_free_count(fa), total);
    KTEST_EXPECT_EQ(t, frame_used_count(fa), 0);
    expect_blocks(t, fa, start_blocks, __LINE__);
}

FRAME_CASE(exhaustion_recovery)
{
    uint64_t pa;

    KTEST_ASSERT_EQ(t, frame_init(fa, pool_base(), pool_end(), &fx.bump), 0);
    KTEST_ASSERT_EQ(t, frame_add_range(fa, pool_base(), pool_end()), 0);
    uint64_t start = frame_free_count(fa);

    unsigned n = drain(fa);
    KTEST_EXPECT_EQ(t, n, start);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), 0);
    KTEST_EXPECT_EQ(t, frame_used_count(fa), start);
    KTEST_EXPECT_EQ(t, frame_alloc(fa, &pa), E_NOMEM);
    KTEST_EXPECT_EQ(t, frame_alloc_order(fa, 4, &pa), E_NOMEM);
    KTEST_EXPECT_EQ(t, frame_alloc_order(fa, FRAME_MAX_ORDER + 1, &pa), E_INVAL);

    free_all(t, fa, n);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), start);
    KTEST_EXPECT_EQ(t, frame_used_count(fa), 0);

    /* Recovered: the pool (1008 frames) holds at least one whole 1 MiB block again. */
    KTEST_EXPECT_EQ(t, frame_alloc_order(fa, WIN_ORDER, &pa), 0);
    KTEST_EXPECT_EQ(t, frame_free_order(fa, pa, WIN_ORDER), 0);
    KTEST_EXPECT_EQ(t, drain(fa), start);
    free_all(t, fa, (unsigned)start);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), start);
}

FRAME_CASE(double_free)
{
    static const uint64_t fresh[FRAME_ORDERS] = {[WIN_ORDER] = 1};
    uint64_t w = win_base();
    uint64_t a, b;

    KTEST_ASSERT_TRUE(t, win_setup(t, fa));
    KTEST_ASSERT_EQ(t, frame_alloc(fa, &a), 0);
    KTEST_ASSERT_EQ(t, frame_alloc_order(fa, 2, &b), 0);
    KTEST_EXPECT_EQ(t, b, w + FRAME_ORDER_SIZE(2));
    KTEST_EXPECT_EQ(t, frame_free(fa, a), 0);
    uint64_t free_before = frame_free_count(fa);

    /* a has merged into an order-2 block by now: still caught. */
    KTEST_EXPECT_EQ(t, frame_free(fa, a), E_INVAL);
    /* A frame that was only ever free inside a block. */
    KTEST_EXPECT_EQ(t, frame_free(fa, w + FRAME_SIZE), E_INVAL);
    /* The wrong order, or a frame inside an allocated block: bad, but not double, frees. */
    KTEST_EXPECT_EQ(t, frame_free(fa, b), E_INVAL);
    KTEST_EXPECT_EQ(t, frame_free(fa, b + FRAME_SIZE), E_INVAL);
    KTEST_EXPECT_EQ(t, fa->double_frees, 2);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), free_before);
    KTEST_EXPECT_EQ(t, frame_used_count(fa), 4);

    KTEST_EXPECT_EQ(t, frame_free_order(fa, b, 2), 0);
    KTEST_EXPECT_EQ(t, frame_free_order(fa, b, 2), E_INVAL);
    KTEST_EXPECT_EQ(t, frame_free_order(fa, w, WIN_ORDER), E_INVAL);
    KTEST_EXPECT_EQ(t, fa->double_frees, 4);
    expect_blocks(t, fa, fresh, __LINE__);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), WIN_FRAMES);
}

FRAME_CASE(bad_free)
{
    uint64_t w = win_base();
    uint64_t a;

    /* The span is the whole window, but only its lower half is RAM. */
    KTEST_ASSERT_EQ(t, frame_init(fa, w, w + WIN_SIZE, &fx.bump), 0);
    KTEST_ASSERT_EQ(t, frame_add_range(fa, w, w + WIN_SIZE / 2), 0);
    KTEST_ASSERT_EQ(t, frame_alloc_order(fa, 1, &a), 0);
    KTEST_EXPECT_EQ(t, a, w);

    KTEST_EXPECT_EQ(t, frame_free_order(fa, a + 1, 1), E_INVAL);
    KTEST_EXPECT_EQ(t, frame_free_order(fa, a + 8, 0), E_INVAL);
    KTEST_EXPECT_EQ(t, frame_free_order(fa, a + FRAME_SIZE, 1), E_INVAL); /* misaligned */
    KTEST_EXPECT_EQ(t, frame_free_order(fa, a, FRAME_MAX_ORDER + 1), E_INVAL);
    KTEST_EXPECT_EQ(t, frame_free(fa, w - FRAME_SIZE), E_INVAL);         /* below */
    KTEST_EXPECT_EQ(t, frame_free(fa, w + WIN_SIZE), E_INVAL);           /* above */
    KTEST_EXPECT_EQ(t, frame_free(fa, w + WIN_SIZE / 2), E_INVAL);       /* not RAM */
    KTEST_EXPECT_EQ(t, frame_free_order(fa, w, WIN_ORDER + 1), E_INVAL); /* too big */
    KTEST_EXPECT_EQ(t, frame_free_count(fa), WIN_FRAMES / 2 - 2);
    KTEST_EXPECT_EQ(t, frame_used_count(fa), 2);
    KTEST_EXPECT_EQ(t, fa->double_frees, 0);
    KTEST_EXPECT_EQ(t, frame_free_order(fa, a, 1), 0);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), WIN_FRAMES / 2);

    /* meta[] that does not fit the bump allocator is E_NOMEM, not a crash. */
    struct frame_allocator small;
    struct bump tiny;
    bump_init(&tiny, fx.region, fx.region + 16);
    KTEST_EXPECT_EQ(t, frame_init(&small, w, w + WIN_SIZE, &tiny), E_NOMEM);
    KTEST_EXPECT_EQ(t, frame_init(&small, w, w, &fx.bump), E_INVAL);
}

FRAME_CASE(holes_unaligned)
{
    static const uint64_t two_ranges[FRAME_ORDERS] = {3, 1, 4, 2, 2, 3};
    static const uint64_t merged[FRAME_ORDERS] = {2, 1, 3, 1, 1, 2, 1};
    uint64_t w = win_base();

    KTEST_ASSERT_EQ(t, frame_init(fa, w, w + WIN_SIZE, &fx.bump), 0);
    /* Frames 3..99, then 131..198: the second range's ends are not even frame-aligned. */
    KTEST_EXPECT_EQ(t, frame_add_range(fa, frame_addr(w, 3), frame_addr(w, 100)), 0);
    KTEST_EXPECT_EQ(t, frame_add_range(fa, frame_addr(w, 130) + 0x800, frame_addr(w, 199) + 0xff0),
                    0);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), 97 + 68);
    expect_blocks(t, fa, two_ranges, __LINE__);

    /* Overlapping, out of span or too small: rejected or ignored, and nothing changes. */
    KTEST_EXPECT_EQ(t, frame_add_range(fa, frame_addr(w, 90), frame_addr(w, 140)), E_INVAL);
    KTEST_EXPECT_EQ(t, frame_add_range(fa, frame_addr(w, 250), frame_addr(w, 260)), E_INVAL);
    KTEST_EXPECT_EQ(t, frame_add_range(fa, frame_addr(w, 120) + 1, frame_addr(w, 121) + 1), 0);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), 97 + 68);

    /* Frames 0..2 touch frames 3..99: they merge into one order-6 block. */
    KTEST_EXPECT_EQ(t, frame_add_range(fa, w, frame_addr(w, 3)), 0);
    expect_blocks(t, fa, merged, __LINE__);

    unsigned n = drain(fa);
    KTEST_EXPECT_EQ(t, n, 168);
    for (unsigned i = 0; i < n; i++) {
        unsigned f = (unsigned)((fx_pas[i] - w) / FRAME_SIZE);
        if (!(f < 100 || (f >= 131 && f < 199))) {
            ktest_fail(t, __FILE__, __LINE__, "frame %u is in a hole", f);
        }
    }
    free_all(t, fa, n);
    expect_blocks(t, fa, merged, __LINE__);
}

static bool overlaps(uint64_t pa, const struct mem_range *r)
{
    uint64_t lo = r->base & ~(FRAME_SIZE - 1);
    uint64_t hi = (r->base + r->size + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
    return r->size != 0 && pa < hi && pa + FRAME_SIZE > lo;
}

/* The independent reference: may the frame at pa be handed out? */
static bool frame_expected_free(const struct boot_info *bi, const struct mem_range *bumped,
                                uint64_t pa)
{
    const struct mem_range *ram = &bi->ram[0];
    if (pa < ram->base || pa + FRAME_SIZE > ram->base + ram->size) {
        return false;
    }
    bool skip = overlaps(pa, &bi->kernel) || overlaps(pa, &bi->dtb) || overlaps(pa, bumped);
    for (unsigned i = 0; i < bi->reserved_count; i++) {
        skip = skip || overlaps(pa, &bi->reserved[i]);
    }
    return !skip;
}

FRAME_CASE(boot_info_exclusions)
{
    static struct boot_info bi;
    struct bump early;
    uint64_t r = fx.region;

    memset(&bi, 0, sizeof(bi));
    bi.ram[0] = (struct mem_range){r + 0x10, FX_SIZE - 0x30}; /* loses its first and last frame */
    bi.ram_count = 1;
    bi.kernel = (struct mem_range){r + 0x10234, 200 * 1024 + 5};
    bi.dtb = (struct mem_range){r + 0x100040, 0x3000};
    bi.reserved[0] = (struct mem_range){r + 0x200000 - 0x10, 0x20}; /* straddles two frames */
    bi.reserved[1] = (struct mem_range){r + 0x300000, 0x10000};
    bi.reserved_count = 2;

    /* The bump allocator runs from after the kernel up to the DTB, and serves early boot. */
    KTEST_ASSERT_EQ(t, bump_init_from_boot_info(&early, &bi), 0);
    KTEST_EXPECT_EQ(t, early.start, r + 0x43000);
    KTEST_EXPECT_EQ(t, early.end, r + 0x100000);
    KTEST_EXPECT_NE(t, bump_alloc(&early, 5000, 8), 0);
    KTEST_EXPECT_NE(t, bump_alloc(&early, FRAME_SIZE, FRAME_SIZE), 0);
    KTEST_EXPECT_NE(t, bump_alloc(&early, 1, 1), 0);

    KTEST_ASSERT_EQ(t, frame_init_from_boot_info(fa, &bi, &early), 0);
    KTEST_EXPECT_EQ(t, bump_alloc(&early, 1, 1), 0); /* retired */
    /* meta[] and use[] came from the bump allocator, after the three early allocations. */
    KTEST_EXPECT_TRUE(t, fa->meta == hal_phys_to_virt(early.next - 2 * FX_FRAMES));
    KTEST_EXPECT_TRUE(t, fa->use == fa->meta + FX_FRAMES);
    struct mem_range bumped = {early.start, bump_used(&early)};

    uint64_t want = 0;
    for (unsigned i = 0; i < FX_FRAMES; i++) {
        want += frame_expected_free(&bi, &bumped, frame_addr(r, i));
    }
    KTEST_EXPECT_EQ(t, frame_free_count(fa), want);
    KTEST_EXPECT_EQ(t, frame_used_count(fa), 0);

    /* Every frame handed out is one the reference allows, exactly once. */
    memset(fx_model, 0, sizeof(fx_model));
    unsigned n = drain(fa);
    KTEST_EXPECT_EQ(t, n, want);
    for (unsigned i = 0; i < n; i++) {
        unsigned f = (unsigned)((fx_pas[i] - r) / FRAME_SIZE);
        if (fx_pas[i] < r || f >= FX_FRAMES || !frame_expected_free(&bi, &bumped, fx_pas[i]) ||
            model_get(f)) {
            ktest_fail(t, __FILE__, __LINE__, "frame 0x%llx should not be handed out",
                       (unsigned long long)fx_pas[i]);
            break;
        }
        model_put(f, true);
    }
    /* What the bump allocator never handed out went to the buddy allocator. */
    KTEST_EXPECT_TRUE(t, model_get((unsigned)((early.next + FRAME_SIZE - 1 - r) / FRAME_SIZE)));
    free_all(t, fa, n);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), want);
}

FRAME_CASE(freed_frames_are_zeroed_and_watched)
{
    uint64_t a;

    KTEST_ASSERT_TRUE(t, win_setup(t, fa));
    KTEST_ASSERT_EQ(t, frame_alloc(fa, &a), 0);
    uint8_t *p = hal_phys_to_virt(a);
    for (unsigned i = 0; i < FRAME_SIZE; i++) {
        if (p[i] != 0) {
            ktest_fail(t, __FILE__, __LINE__, "byte %u of a new frame is 0x%02x", i, p[i]);
            break;
        }
    }
    memset(p, 0x11, FRAME_SIZE);
    KTEST_ASSERT_EQ(t, frame_free(fa, a), 0);
    /* Nothing of the owner stays in free memory (the links aside). */
    for (unsigned i = FRAME_LINK_BYTES; i < FRAME_SIZE; i++) {
        if (p[i] != 0) {
            ktest_fail(t, __FILE__, __LINE__, "byte %u of a freed frame is 0x%02x", i, p[i]);
            break;
        }
    }

    /* Clean reuse reports nothing. */
    unsigned n = drain(fa);
    KTEST_EXPECT_EQ(t, n, WIN_FRAMES);
    KTEST_EXPECT_EQ(t, fa->use_after_free, 0);
    free_all(t, fa, n);
}

FRAME_CASE(writes_after_free_are_caught)
{
    uint64_t a;

    if (CONFIG_FRAME_CHECK == 0) {
        ktest_skip(t, "CONFIG_FRAME_CHECK is off in this build (on at -O0)");
        return;
    }
    KTEST_ASSERT_TRUE(t, win_setup(t, fa));
    /* A write after free, near a frame's start, is reported when the
     * frame is handed out again; the frame is still handed out zeroed. */
    KTEST_ASSERT_EQ(t, frame_alloc(fa, &a), 0);
    KTEST_ASSERT_EQ(t, frame_free(fa, a), 0);
    ((volatile uint8_t *)hal_phys_to_virt(a))[FRAME_LINK_BYTES + 8] = 0x5a;
    KTEST_ASSERT_EQ(t, frame_alloc(fa, &a), 0);
    KTEST_EXPECT_EQ(t, fa->use_after_free, 1);
    KTEST_EXPECT_EQ(t, ((uint8_t *)hal_phys_to_virt(a))[FRAME_LINK_BYTES + 8], 0);
    KTEST_ASSERT_EQ(t, frame_free(fa, a), 0);
}

/* Every allocated frame says what it is for; freeing forgets it. */
FRAME_CASE(use_tags)
{
    uint64_t pa;
    uint64_t block;

    KTEST_ASSERT_EQ(t, frame_init(fa, fx.region, fx.region + FX_SIZE, &fx.bump), 0);
    KTEST_ASSERT_EQ(t, frame_add_range(fa, pool_base(), fx.region + FX_SIZE), 0);
    KTEST_EXPECT_EQ(t, frame_use_of(fa, pool_base()), FRAME_USE_FREE);
    KTEST_EXPECT_EQ(t, frame_use_of(fa, fx.region), FRAME_USE_NOT_RAM); /* meta[], never added */
    KTEST_EXPECT_EQ(t, frame_use_of(fa, fx.region - FRAME_SIZE), FRAME_USE_NOT_RAM);
    KTEST_ASSERT_EQ(t, frame_alloc(fa, &pa), 0);
    KTEST_EXPECT_EQ(t, frame_use_of(fa, pa), FRAME_USE_KERNEL);
    frame_set_use(fa, pa, FRAME_USE_USER);
    KTEST_EXPECT_EQ(t, frame_use_of(fa, pa), FRAME_USE_USER);
    frame_set_use(fa, pa, FRAME_USE_TABLE);
    KTEST_EXPECT_EQ(t, frame_use_of(fa, pa), FRAME_USE_TABLE);
    KTEST_EXPECT_EQ(t, frame_free(fa, pa), 0);
    KTEST_EXPECT_EQ(t, frame_use_of(fa, pa), FRAME_USE_FREE);
    /* A block: every frame of it is tagged. */
    KTEST_ASSERT_EQ(t, frame_alloc_order(fa, 2, &block), 0);
    for (unsigned i = 0; i < 4; i++) {
        KTEST_EXPECT_EQ(t, frame_use_of(fa, block + i * FRAME_SIZE), FRAME_USE_KERNEL);
    }
    KTEST_EXPECT_EQ(t, frame_free_order(fa, block, 2), 0);
    KTEST_EXPECT_EQ(t, frame_use_of(fa, block + 3 * FRAME_SIZE), FRAME_USE_FREE);
}
