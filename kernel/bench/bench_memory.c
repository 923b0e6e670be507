/*
 * Benchmarks of memory management: frames and address spaces.
 *
 *   frame   frame_alloc + frame_free of one 4 KiB frame, as every map and
 *           unmap of a page does: the free zeroes the frame and stashes
 *           it, the alloc takes it back from the stash. Run it under
 *           -m 128M, 512M and 2G (scripts/bench.py does) to see that the
 *           cost does not depend on how much RAM there is.
 *   vspace  vspace_map + vspace_unmap of one 4 KiB page, TLB invalidation
 *           included, in an address space that already maps 1, 100, 1000
 *           and 10000 other pages; and map and unmap alone.
 *
 * Both allocator and vspace want the kernel lock, and nothing else may
 * touch them meanwhile, so every measurement runs holding it.
 */
#include "hal/irq.h"
#include "kernel/bench.h"
#include "kernel/frame.h"
#include "kernel/klock.h"
#include "kernel/panic.h"
#include "kernel/vspace.h"
#include "lib/bench_stats.h"
#include "lib/printf.h"

#define PAGE      4096ULL
/* Where the filled part of the benchmark's address space starts (user half). */
#define FILL_BASE 0x10000000ULL

static void frame_op(void *ctx)
{
    struct frame_allocator *fa = ctx;
    uint64_t pa;

    KASSERT(frame_alloc(fa, &pa) == 0);
    frame_free(fa, pa);
}

static void bench_frames(void)
{
    struct frame_allocator *fa = frame_global();
    uint64_t n = bench_settings()->iterations;
    uint64_t mib = bench_settings()->ram_bytes >> 20;
    uint64_t before = frame_free_count(fa);
    char name[40];
    char what[88];

    unsigned long flags = klock_acquire();
    uint64_t cost = bench_net(frame_op, NULL, fa, n);
    klock_release(flags);
    KASSERT(frame_free_count(fa) == before);

    ksnprintf(name, sizeof(name), "frame.alloc_free.ram%lluM", (unsigned long long)mib);
    ksnprintf(what, sizeof(what), "frame alloc + free, 4 KiB, %llu MiB of RAM",
              (unsigned long long)mib);
    bench_record(name, what, cost, n);
}

struct map_ctx {
    struct vspace vs;
    uint64_t va; /* the page the benchmark maps and unmaps */
    uint64_t pa; /* one frame, which every mapping points to */
};

static void map_op(void *ctx)
{
    struct map_ctx *m = ctx;

    KASSERT(vspace_map(&m->vs, m->va, m->pa, PAGE, MMU_READ | MMU_WRITE | MMU_USER, MMU_NORMAL) ==
            0);
}

static void unmap_op(void *ctx)
{
    struct map_ctx *m = ctx;

    KASSERT(vspace_unmap(&m->vs, m->va, PAGE) == 0);
}

static void map_unmap_op(void *ctx)
{
    map_op(ctx);
    unmap_op(ctx);
}

/* Fills the address space from FILL_BASE up to `filled` pages, page by page
 * (one range would become 2 MiB blocks), and aims at the page after them. */
static void map_fill(struct map_ctx *m, uint64_t filled, uint64_t target)
{
    for (uint64_t i = filled; i < target; i++) {
        m->va = FILL_BASE + i * PAGE;
        map_op(m);
    }
    m->va = FILL_BASE + target * PAGE;
}

static void bench_vspace(void)
{
    static const uint64_t fills[] = {1, 100, 1000, 10000};
    struct frame_allocator *fa = frame_global();
    uint64_t n = bench_settings()->iterations;
    uint64_t before = frame_free_count(fa);
    struct map_ctx m;
    uint64_t filled = 0;
    char name[40];
    char what[88];

    unsigned long flags = klock_acquire();
    KASSERT(frame_alloc_for(fa, FRAME_USE_USER, &m.pa) == 0); /* mapped with MMU_USER */
    KASSERT(vspace_init(&m.vs, VSPACE_USER, fa) == 0);
    for (unsigned i = 0; i < sizeof(fills) / sizeof(fills[0]); i++) {
        map_fill(&m, filled, fills[i]);
        filled = fills[i];
        uint64_t cost = bench_net(map_unmap_op, NULL, &m, n);
        ksnprintf(name, sizeof(name), "vspace.map_unmap.%llu", (unsigned long long)filled);
        ksnprintf(what, sizeof(what),
                  "map + unmap 4 KiB (TLB invalidation included), %llu %s mapped",
                  (unsigned long long)filled, filled == 1 ? "page" : "pages");
        bench_record(name, what, cost, n);
        if (i == 0) {
            uint64_t map_cost, unmap_cost;
            bench_time_pair(map_op, unmap_op, &m, n, &map_cost, &unmap_cost);
            uint64_t overhead = bench_overhead(n);
            bench_record("vspace.map.1", "map 4 KiB alone, 1 page mapped",
                         bench_subtract(map_cost, overhead), n);
            bench_record("vspace.unmap.1", "unmap 4 KiB alone (TLB invalidation included)",
                         bench_subtract(unmap_cost, overhead), n);
        }
    }
    vspace_destroy(&m.vs);
    frame_free(fa, m.pa);
    klock_release(flags);
    KASSERT(frame_free_count(fa) == before);
}

void bench_memory_run(void)
{
    if (bench_group_enabled("frame")) {
        bench_frames();
    }
    if (bench_group_enabled("vspace")) {
        bench_vspace();
    }
}
