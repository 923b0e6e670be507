/*
 * The host test build's kernel address space, for the code that asks for
 * kernel_vspace() (kernel/kstack.c). It is a real VSPACE_KERNEL vspace, made
 * on first use over a private frame allocator on a fake-memory region, so
 * the kstack tests exercise the real mapping code under the sanitizers. It
 * is never "installed": kernel_vspace_installed() says false, and tests
 * that need the live kernel map skip on the host (the image and device
 * lists below are empty for the same reason).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/bump.h"
#include "kernel/frame.h"
#include "hal/mmu.h"
#include "kernel/kernel_vspace.h"
#include "lib/ktest_env_memory.h"

/* The first frames of the region hold the allocator's meta[]. */
#define FAKE_KVS_META (4 * FRAME_SIZE)

static struct bump fake_kvs_bump;
static struct frame_allocator fake_kvs_frames;
static struct vspace fake_kvs;
static bool fake_kvs_ready;

struct vspace *kernel_vspace(void)
{
    uint64_t base;

    if (fake_kvs_ready) {
        return &fake_kvs;
    }
    if (ktest_env_phys_region(KTEST_ENV_PHYS_MAX, &base) != 0) {
        fprintf(stderr, "fake_kernel_vspace: no memory region\n");
        abort();
    }
    uint64_t end = base + KTEST_ENV_PHYS_MAX;
    bump_init(&fake_kvs_bump, base, base + FAKE_KVS_META);
    if (frame_init(&fake_kvs_frames, base, end, &fake_kvs_bump) != 0 ||
        frame_add_range(&fake_kvs_frames, base + FAKE_KVS_META, end) != 0 ||
        vspace_init(&fake_kvs, VSPACE_KERNEL, &fake_kvs_frames) != 0) {
        fprintf(stderr, "fake_kernel_vspace: setup failed\n");
        abort();
    }
    fake_kvs_ready = true;
    return &fake_kvs;
}

bool kernel_vspace_installed(void)
{
    return false;
}

/* The host has no kernel image and no devices to map. */
unsigned hal_mmu_kernel_sections(struct mmu_section *out, unsigned max)
{
    (void)out;
    (void)max;
    return 0;
}

unsigned hal_mmu_kernel_devices(const struct boot_info *bi, struct mem_range *out, unsigned max)
{
    (void)bi;
    (void)out;
    (void)max;
    return 0;
}
