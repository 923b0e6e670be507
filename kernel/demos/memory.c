/*
 * Demo "memory": physical frames and virtual addresses, end to end.
 *
 *   1. where the kernel ends and the bump allocator began, and the first
 *      frames the buddy allocator hands out;
 *   2. patterns written and read back through the linear map;
 *   3. a new (user-kind) address space with one page mapped at DEMO_VA:
 *      0xDEADBEEF goes in through the linear map and comes back out through
 *      DEMO_VA, with that address space installed in TTBR0 for a moment;
 *   4. the four-level walk for DEMO_VA, every descriptor decoded, and for
 *      contrast two walks in the kernel's own map: the same frame (a page,
 *      as it lies next to the image) and the last page of RAM (a 2 MiB
 *      block, so the walk stops at level 2);
 *   5. unmap, destroy, and the free-frame count back where it started.
 *
 * Read with docs/part4-memory.md, which draws this walk.
 */
#include <stdint.h>

#include "hal/irq.h"
#include "hal/memory.h"
#include "hal/mmu.h"
#include "kernel/boot_info.h"
#include "kernel/bump.h"
#include "kernel/demo.h"
#include "kernel/frame.h"
#include "kernel/kernel_vspace.h"
#include "kernel/klock.h"
#include "kernel/vspace.h"
#include "lib/errors.h"
#include "lib/printf.h"

#define DEMO_VA     0x400000ULL
#define DEMO_FRAMES 3
#define DEMO_MAGIC  0xdeadbeefu

static void demo_print_walk(const struct vspace *vs, uint64_t va)
{
    struct vspace_walk w;
    char fields[200];

    if (vspace_walk(vs, va, &w) < 0) {
        kprintf("mm: 0x%llx is outside this address space\n", (unsigned long long)va);
        return;
    }
    kprintf("mm: walk of VA 0x%016llx = index L0 %u | L1 %u | L2 %u | L3 %u | offset 0x%03llx\n",
            (unsigned long long)va, mmu_level_index(0, va), mmu_level_index(1, va),
            mmu_level_index(2, va), mmu_level_index(3, va),
            (unsigned long long)(va & (MMU_PAGE_SIZE - 1)));
    for (unsigned i = 0; i < w.steps; i++) {
        const struct vspace_walk_step *s = &w.step[i];
        hal_mmu_format_desc(s->level, s->desc, fields, sizeof(fields));
        kprintf("mm:   L%u table 0x%llx [%3u] = 0x%016llx  %s\n", s->level,
                (unsigned long long)s->table, s->index, (unsigned long long)s->desc, fields);
    }
}

/* Steps 1 and 2: the allocators, and the linear map as a window on every frame. */
static void demo_frames(const struct boot_info *bi, struct frame_allocator *fa)
{
    uint64_t kernel_end = bi->kernel.base + bi->kernel.size;
    uint64_t frames[DEMO_FRAMES];
    struct bump probe;
    unsigned words = 0;
    unsigned bad = 0;

    kprintf("mm: kernel_end 0x%llx (virtual %p)\n", (unsigned long long)kernel_end,
            hal_phys_to_virt(kernel_end));
    if (bump_init_from_boot_info(&probe, bi) == 0) {
        kprintf("mm: free_start 0x%llx: the bump allocator's first frame\n",
                (unsigned long long)probe.start);
    }
    kprintf("mm: first frames from the buddy allocator:");
    for (unsigned i = 0; i < DEMO_FRAMES; i++) {
        if (frame_alloc(fa, &frames[i]) < 0) {
            kprintf(" (out of memory)\n");
            return;
        }
        kprintf(" 0x%llx", (unsigned long long)frames[i]);
    }
    kprintf("\n");
    for (unsigned i = 0; i < DEMO_FRAMES; i++) {
        volatile uint64_t *p = hal_phys_to_virt(frames[i]);
        for (unsigned j = 0; j < FRAME_SIZE / 8; j++) {
            p[j] = frames[i] ^ (0x0101010101010101ULL * j);
        }
    }
    for (unsigned i = 0; i < DEMO_FRAMES; i++) {
        volatile uint64_t *p = hal_phys_to_virt(frames[i]);
        for (unsigned j = 0; j < FRAME_SIZE / 8; j++, words++) {
            bad += p[j] != (frames[i] ^ (0x0101010101010101ULL * j));
        }
        frame_free(fa, frames[i]);
    }
    kprintf("mm: wrote and read back %u words through the linear map: %u wrong\n", words, bad);
}

DEMO(memory, "memory", "frames, a new address space, and a 4-level page-table walk")
{
    struct frame_allocator *fa = frame_global();
    struct vspace vs;
    uint64_t frame;
    /* Frames and page tables are shared kernel state: like every caller of
     * frame_alloc and vspace_map, the demo holds the kernel lock. */
    unsigned long flags = klock_acquire();

    demo_frames(bi, fa);

    uint64_t free_before = frame_free_count(fa);
    if (vspace_init(&vs, VSPACE_USER, fa) < 0 || frame_alloc(fa, &frame) < 0) {
        kprintf("mm: out of memory\n");
        klock_release(flags);
        return;
    }
    /* Kernel-only (no MMU_USER): the kernel may read it even on CPUs with PAN on. */
    int err = vspace_map(&vs, DEMO_VA, frame, MMU_PAGE_SIZE, MMU_READ | MMU_WRITE, MMU_NORMAL);
    kprintf("mm: new address space: root table 0x%llx, ASID %u; VA 0x%llx -> frame 0x%llx: %s, "
            "%llu tables\n",
            (unsigned long long)vs.root, vs.asid, (unsigned long long)DEMO_VA,
            (unsigned long long)frame, error_name(err), (unsigned long long)vs.tables);

    volatile uint32_t *alias = hal_phys_to_virt(frame);
    *alias = DEMO_MAGIC;
    kprintf("mm: wrote 0x%x through the linear map alias %p\n", DEMO_MAGIC, (void *)alias);

    vspace_activate(&vs);
    uint32_t value = *(volatile uint32_t *)(uintptr_t)DEMO_VA;
    vspace_deactivate();
    kprintf("mm: read back 0x%x through VA 0x%llx\n", value, (unsigned long long)DEMO_VA);

    demo_print_walk(&vs, DEMO_VA);
    kprintf("mm: the same frame through the kernel's linear map (global, no ASID):\n");
    demo_print_walk(kernel_vspace(), (uint64_t)(uintptr_t)alias);
    /* Far from the image, where alignment allows, the linear map uses 2 MiB blocks. */
    uint64_t last_page = bi->ram[0].base + bi->ram[0].size - MMU_PAGE_SIZE;
    kprintf("mm: the last page of RAM, 0x%llx, through the linear map:\n",
            (unsigned long long)last_page);
    demo_print_walk(kernel_vspace(), (uint64_t)(uintptr_t)hal_phys_to_virt(last_page));

    uint64_t free_mapped = frame_free_count(fa);
    vspace_unmap(&vs, DEMO_VA, MMU_PAGE_SIZE);
    err = vspace_translate(&vs, DEMO_VA, NULL, NULL);
    kprintf("mm: unmapped VA 0x%llx: translate says %s (%s), %llu table left\n",
            (unsigned long long)DEMO_VA, error_name(err), error_string(err),
            (unsigned long long)vs.tables);
    frame_free(fa, frame);
    vspace_destroy(&vs);
    uint64_t free_after = frame_free_count(fa);
    kprintf("mm: free frames: %llu before, %llu while mapped, %llu after destroy: %s\n",
            (unsigned long long)free_before, (unsigned long long)free_mapped,
            (unsigned long long)free_after, free_after == free_before ? "all returned" : "LEAKED");
    klock_release(flags);
    kprintf("mm: demo done (MMU is ON)\n");
}
