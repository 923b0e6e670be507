/*
 * Tests for guard-paged kernel stacks (kernel/kstack.c): where a stack is
 * mapped, that its guard is not, how kstack_find_guard() reads addresses,
 * and that stacks give back their frames and tables.
 *
 * They run on kernel_vspace(): the live kernel map under QEMU, a private
 * fake on the host (tests/host/fake_kernel_vspace.c). The stack memory is
 * read through the linear map (hal_phys_to_virt(ks.pa)), which works in
 * both worlds; kstack_usable_base() picks that alias on the host.
 */
#include <stdbool.h>
#include <stdint.h>

#include "hal/memory.h"
#include "hal/mmu.h"
#include "kernel/frame.h"
#include "kernel/kernel_vspace.h"
#include "kernel/kstack.h"
#include "ktest_locked.h"
#include "lib/ktest.h"
#include "uapi/errors.h"

static struct vspace *kstack_env(struct ktest *t)
{
    struct vspace *kvs = kernel_vspace();
    if (!kvs) {
        ktest_skip(t, "no kernel address space");
    }
    return kvs;
}

KTEST_LOCKED(kstack, maps_the_stack_above_an_unmapped_guard)
{
    struct vspace *kvs = kstack_env(t);
    struct kstack ks;
    unsigned slot = 12345;

    if (!kvs) {
        return;
    }
    uint64_t free = frame_free_count(kvs->frames);
    unsigned count = kstack_count();
    KTEST_ASSERT_EQ(t, kstack_alloc(&ks, "ktest"), 0);
    uint64_t base = (uint64_t)(uintptr_t)ks.base;
    uint64_t top = base + ks.size;

    KTEST_EXPECT_EQ(t, ks.size, KSTACK_SIZE);
    KTEST_EXPECT_EQ(t, (uint8_t *)kstack_top(&ks) - (uint8_t *)kstack_usable_base(&ks),
                    KSTACK_SIZE);
    if (kernel_vspace_installed()) {
        KTEST_EXPECT_TRUE(t, kstack_usable_base(&ks) == ks.base);
    } else {
        KTEST_EXPECT_TRUE(t, kstack_usable_base(&ks) == hal_phys_to_virt(ks.pa));
    }
    KTEST_EXPECT_EQ(t, base, kstack_slot_base(ks.slot));
    KTEST_EXPECT_TRUE(t, base - KSTACK_REGION_BASE < (1ULL << KSTACK_REGION_SHIFT));
    KTEST_EXPECT_EQ(t, kstack_count(), count + 1);
    KTEST_EXPECT_STREQ(t, kstack_owner(ks.slot), "ktest");
    for (uint64_t va = base; va < top; va += MMU_PAGE_SIZE) {
        uint64_t pa = 0;
        unsigned perms = 0;
        KTEST_EXPECT_EQ(t, vspace_translate(kvs, va, &pa, &perms), 0);
        KTEST_EXPECT_EQ(t, pa, ks.pa + (va - base));
        KTEST_EXPECT_EQ(t, perms, MMU_READ | MMU_WRITE); /* never executable */
    }
    const uint64_t *words = hal_phys_to_virt(ks.pa);
    unsigned nonzero = 0;
    for (unsigned i = 0; i < KSTACK_SIZE / 8; i++) {
        nonzero += words[i] != 0;
    }
    KTEST_EXPECT_EQ(t, nonzero, 0);

    /* The whole guard is unmapped, and kstack_find_guard() knows it. */
    KTEST_EXPECT_EQ(t, vspace_translate(kvs, base - 8, NULL, NULL), E_NOENT);
    KTEST_EXPECT_EQ(t, vspace_translate(kvs, base - KSTACK_SIZE, NULL, NULL), E_NOENT);
    KTEST_EXPECT_TRUE(t, kstack_find_guard(base - 8, &slot));
    KTEST_EXPECT_EQ(t, slot, ks.slot);
    KTEST_EXPECT_TRUE(t, kstack_find_guard(base - KSTACK_SIZE, NULL));
    KTEST_EXPECT_FALSE(t, kstack_find_guard(base, NULL));
    KTEST_EXPECT_FALSE(t, kstack_find_guard(top - 8, NULL));
    KTEST_EXPECT_TRUE(t, kstack_find_guard(top, &slot)); /* the next slot's guard */
    KTEST_EXPECT_EQ(t, slot, ks.slot + 1);
    KTEST_EXPECT_FALSE(t, kstack_find_guard(KSTACK_REGION_BASE - 8, NULL));
    KTEST_EXPECT_FALSE(t, kstack_find_guard(0x400000, NULL));

    kstack_free(&ks);
    KTEST_EXPECT_EQ(t, vspace_translate(kvs, base, NULL, NULL), E_NOENT);
    KTEST_EXPECT_EQ(t, kstack_count(), count);
    KTEST_EXPECT_TRUE(t, kstack_owner(ks.slot) == NULL);
    KTEST_EXPECT_EQ(t, frame_free_count(kvs->frames), free);
}

KTEST_LOCKED(kstack, neighbours_are_separated_by_a_guard)
{
    struct kstack a;
    struct kstack b;

    if (!kstack_env(t)) {
        return;
    }
    KTEST_ASSERT_EQ(t, kstack_alloc(&a, "a"), 0);
    if (KTEST_EXPECT_EQ(t, kstack_alloc(&b, "b"), 0)) {
        struct kstack *lo = a.slot < b.slot ? &a : &b;
        struct kstack *hi = a.slot < b.slot ? &b : &a;
        KTEST_EXPECT_NE(t, a.slot, b.slot);
        /* Between the lower stack's top and the higher one's base lies at least a guard. */
        KTEST_EXPECT_TRUE(t, (uint64_t)(uintptr_t)hi->base -
                                     ((uint64_t)(uintptr_t)lo->base + lo->size) >=
                                 KSTACK_SIZE);
        KTEST_EXPECT_TRUE(t, kstack_find_guard((uint64_t)(uintptr_t)hi->base - 1, NULL));
        kstack_free(&b);
    }
    kstack_free(&a);
}

KTEST_LOCKED(kstack, exhaustion_then_recovery)
{
    static struct kstack all[KSTACK_MAX_SLOTS];
    struct vspace *kvs = kstack_env(t);
    struct kstack extra;
    unsigned n = 0;

    if (!kvs) {
        return;
    }
    uint64_t free = frame_free_count(kvs->frames);
    unsigned count = kstack_count();
    while (n < KSTACK_MAX_SLOTS && kstack_alloc(&all[n], "many") == 0) {
        n++;
    }
    KTEST_EXPECT_EQ(t, count + n, KSTACK_MAX_SLOTS);
    KTEST_EXPECT_EQ(t, kstack_alloc(&extra, "one too many"), E_NOSPC);
    while (n > 0) {
        kstack_free(&all[--n]);
    }
    KTEST_EXPECT_EQ(t, kstack_count(), count);
    KTEST_EXPECT_EQ(t, frame_free_count(kvs->frames), free);
    KTEST_ASSERT_EQ(t, kstack_alloc(&extra, "after"), 0);
    kstack_free(&extra);
}
