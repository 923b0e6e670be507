/*
 * Tests of the live kernel address space (kernel/kernel_vspace.c): W^X for
 * the image, a non-executable linear map, Device memory for exactly the
 * kernel's devices, and a user address space read through TTBR0.
 *
 * They need the real map, so they skip on the host, where kernel_vspace()
 * is a fake that was never installed.
 */
#include <stdbool.h>
#include <stdint.h>

#include "hal/irq.h"
#include "hal/memory.h"
#include "hal/mmu.h"
#include "kernel/boot_info.h"
#include "kernel/frame.h"
#include "kernel/kernel_vspace.h"
#include "kernel/platform.h"
#include "ktest_locked.h"
#include "lib/ktest.h"
#include "uapi/errors.h"

#define KVS_DEMO_VA 0x400000ULL

static struct vspace *kvs_live(struct ktest *t)
{
    if (!kernel_vspace_installed()) {
        ktest_skip(t, "needs the live kernel address space");
        return NULL;
    }
    return kernel_vspace();
}

static unsigned kvs_perms(const struct vspace *kvs, uint64_t va)
{
    unsigned perms = 0;
    vspace_translate(kvs, va, NULL, &perms);
    return perms;
}

KTEST_LOCKED(kvs, image_is_write_xor_execute)
{
    struct vspace *kvs = kvs_live(t);
    struct mmu_section sec[4];

    if (!kvs) {
        return;
    }
    unsigned n = hal_mmu_kernel_sections(sec, 4);
    KTEST_ASSERT_EQ(t, n, 3);
    KTEST_EXPECT_EQ(t, sec[0].perms, MMU_READ | MMU_EXEC);
    KTEST_EXPECT_EQ(t, sec[1].perms, MMU_READ);
    KTEST_EXPECT_EQ(t, sec[2].perms, MMU_READ | MMU_WRITE);
    for (unsigned i = 0; i < n; i++) {
        unsigned wrong = 0;
        for (uint64_t va = sec[i].start; va < sec[i].end; va += MMU_PAGE_SIZE) {
            uint64_t pa = 0;
            unsigned perms = 0;
            if (vspace_translate(kvs, va, &pa, &perms) != 0 || perms != sec[i].perms ||
                pa != hal_virt_to_phys((const void *)(uintptr_t)va)) {
                wrong++;
            }
        }
        KTEST_EXPECT_EQ(t, wrong, 0);
    }
    /* This very function: readable and executable, not writable. */
    uint64_t here = (uint64_t)(uintptr_t)kvs_live;
    KTEST_EXPECT_EQ(t, kvs_perms(kvs, here), MMU_READ | MMU_EXEC);
}

KTEST_LOCKED(kvs, linear_map_is_never_executable)
{
    struct vspace *kvs = kvs_live(t);
    struct vspace_walk w;
    uint64_t pa;

    if (!kvs || !KTEST_EXPECT_EQ(t, frame_alloc(frame_global(), &pa), 0)) {
        return;
    }
    uint64_t va = (uint64_t)(uintptr_t)hal_phys_to_virt(pa);
    KTEST_EXPECT_EQ(t, kvs_perms(kvs, va), MMU_READ | MMU_WRITE);
    KTEST_EXPECT_EQ(t, vspace_walk(kvs, va, &w), 0);
    KTEST_EXPECT_EQ(t, w.step[w.steps - 1].decoded.type, MMU_NORMAL);
    KTEST_EXPECT_TRUE(t, w.step[w.steps - 1].decoded.global);
    frame_free(frame_global(), pa);
}

/* The big-endian totalsize field of a device tree header. */
static uint32_t kvs_dtb_size(const uint8_t *dtb)
{
    return (uint32_t)dtb[4] << 24 | (uint32_t)dtb[5] << 16 | (uint32_t)dtb[6] << 8 | dtb[7];
}

KTEST_LOCKED(kvs, only_the_kernels_devices_are_mapped)
{
    static struct boot_info bi;
    struct vspace *kvs = kvs_live(t);
    struct mem_range dev[8];
    const uint8_t *dtb = ktest_env_dtb();

    if (!kvs || !dtb) {
        return;
    }
    KTEST_ASSERT_EQ(t, platform_parse_dtb(dtb, kvs_dtb_size(dtb), &bi), 0);
    unsigned n = hal_mmu_kernel_devices(&bi, dev, 8);
    KTEST_EXPECT_TRUE(t, n >= 3); /* the console and both halves of the GIC */
    for (unsigned i = 0; i < n; i++) {
        for (uint64_t pa = dev[i].base; pa < dev[i].base + dev[i].size; pa += MMU_PAGE_SIZE) {
            struct vspace_walk w;
            uint64_t va = (uint64_t)(uintptr_t)hal_phys_to_virt(pa);
            KTEST_EXPECT_EQ(t, kvs_perms(kvs, va), MMU_READ | MMU_WRITE);
            vspace_walk(kvs, va, &w);
            KTEST_EXPECT_EQ(t, w.step[w.steps - 1].decoded.type, MMU_DEVICE);
        }
    }
    /* The rest of the device region is not mapped: address 0 (flash on virt), for one. */
    KTEST_EXPECT_EQ(t, vspace_translate(kvs, (uint64_t)(uintptr_t)hal_phys_to_virt(0), NULL, NULL),
                    E_NOENT);
}

KTEST_LOCKED(kvs, user_page_read_through_ttbr0)
{
    struct frame_allocator *fa = frame_global();
    struct vspace vs;
    uint64_t frame;

    if (!kvs_live(t)) {
        return;
    }
    uint64_t free = frame_free_count(fa);
    KTEST_ASSERT_EQ(t, vspace_init(&vs, VSPACE_USER, fa), 0);
    if (KTEST_EXPECT_EQ(t, frame_alloc(fa, &frame), 0)) {
        *(volatile uint32_t *)hal_phys_to_virt(frame) = 0x600dcafe;
        KTEST_EXPECT_EQ(
            t, vspace_map(&vs, KVS_DEMO_VA, frame, MMU_PAGE_SIZE, MMU_READ | MMU_WRITE, MMU_NORMAL),
            0);
        unsigned long irq = hal_irq_save();
        vspace_activate(&vs);
        uint32_t seen = *(volatile uint32_t *)(uintptr_t)KVS_DEMO_VA;
        *(volatile uint32_t *)(uintptr_t)(KVS_DEMO_VA + 4) = 0x1234;
        vspace_deactivate();
        hal_irq_restore(irq);
        KTEST_EXPECT_EQ(t, seen, 0x600dcafe);
        KTEST_EXPECT_EQ(t, ((volatile uint32_t *)hal_phys_to_virt(frame))[1], 0x1234);
        KTEST_EXPECT_EQ(t, vspace_unmap(&vs, KVS_DEMO_VA, MMU_PAGE_SIZE), 0);
        frame_free(fa, frame);
    }
    vspace_destroy(&vs);
    KTEST_EXPECT_EQ(t, frame_free_count(fa), free);
}
