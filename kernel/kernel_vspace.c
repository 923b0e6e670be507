/*
 * Building the kernel's own address space (see include/kernel/kernel_vspace.h
 * for the layout) and moving the CPU onto it.
 *
 * Until now the kernel ran on tables the boot code made without knowing
 * anything: everything RWX, devices mapped a whole GiB at a time. Here the
 * portable vspace code rebuilds the upper half with real permissions, from
 * frames of the buddy allocator, and the architecture switches TTBR1 to it
 * (hal_mmu_install_kernel_root, which explains why that switch is safe).
 */
#include "kernel/kernel_vspace.h"

#include <stdbool.h>
#include <stdint.h>

#include "hal/memory.h"
#include "hal/mmu.h"
#include "kernel/boot_info.h"
#include "kernel/frame.h"
#include "kernel/panic.h"
#include "lib/errors.h"
#include "lib/printf.h"

#define KVS_MAX_SECTIONS 4
#define KVS_MAX_DEVICES  8

static struct vspace kvs;
static bool kvs_ready;
static bool kvs_installed;

static void kvs_map(const char *what, uint64_t va, uint64_t pa, uint64_t size, unsigned perms,
                    enum mmu_mem_type type)
{
    int err = vspace_map(&kvs, va, pa, size, perms, type);
    if (err < 0) {
        panic("vspace: cannot map the kernel's %s at 0x%llx (+0x%llx): %s", what,
              (unsigned long long)va, (unsigned long long)size, error_name(err));
    }
}

/* The linear map of RAM [base, end), except the image [hole, hole_end), which is mapped apart. */
static uint64_t kvs_map_linear(uint64_t base, uint64_t end, uint64_t hole, uint64_t hole_end)
{
    uint64_t mapped = 0;

    base = (base + MMU_PAGE_SIZE - 1) & ~(MMU_PAGE_SIZE - 1);
    end &= ~(MMU_PAGE_SIZE - 1);
    uint64_t below = end < hole ? end : hole;
    if (base < below) {
        kvs_map("linear map", (uint64_t)(uintptr_t)hal_phys_to_virt(base), base, below - base,
                MMU_READ | MMU_WRITE, MMU_NORMAL);
        mapped += below - base;
    }
    uint64_t above = base > hole_end ? base : hole_end;
    if (above < end) {
        kvs_map("linear map", (uint64_t)(uintptr_t)hal_phys_to_virt(above), above, end - above,
                MMU_READ | MMU_WRITE, MMU_NORMAL);
        mapped += end - above;
    }
    return mapped;
}

/* A device window, page by page, so windows that share a page do not collide. */
static void kvs_map_device(const struct mem_range *w)
{
    for (uint64_t pa = w->base; pa < w->base + w->size; pa += MMU_PAGE_SIZE) {
        uint64_t va = (uint64_t)(uintptr_t)hal_phys_to_virt(pa);
        if (vspace_translate(&kvs, va, NULL, NULL) == E_NOENT) {
            kvs_map("devices", va, pa, MMU_PAGE_SIZE, MMU_READ | MMU_WRITE, MMU_DEVICE);
        }
    }
}

void kernel_vspace_init(const struct boot_info *bi)
{
    struct mmu_section sec[KVS_MAX_SECTIONS];
    struct mem_range dev[KVS_MAX_DEVICES];
    uint64_t ram = 0;

    if (!frame_global() || vspace_init(&kvs, VSPACE_KERNEL, frame_global()) < 0) {
        panic("vspace: no frame for the kernel's root table");
    }
    unsigned nsec = hal_mmu_kernel_sections(sec, KVS_MAX_SECTIONS);
    if (nsec == 0) {
        panic("vspace: the architecture names no kernel image sections");
    }
    for (unsigned i = 0; i < nsec; i++) {
        if (sec[i].end > sec[i].start) {
            kvs_map(sec[i].name, sec[i].start,
                    hal_virt_to_phys((const void *)(uintptr_t)sec[i].start),
                    sec[i].end - sec[i].start, sec[i].perms, MMU_NORMAL);
        }
    }
    uint64_t image = hal_virt_to_phys((const void *)(uintptr_t)sec[0].start);
    uint64_t image_end = hal_virt_to_phys((const void *)(uintptr_t)sec[nsec - 1].end);
    for (unsigned i = 0; i < bi->ram_count; i++) {
        ram += kvs_map_linear(bi->ram[i].base, bi->ram[i].base + bi->ram[i].size, image, image_end);
    }
    unsigned ndev = hal_mmu_kernel_devices(bi, dev, KVS_MAX_DEVICES);
    for (unsigned i = 0; i < ndev; i++) {
        kvs_map_device(&dev[i]);
    }
    kvs_ready = true;

    hal_mmu_install_kernel_root(kvs.root);
    kvs_installed = true;

    kprintf("vspace: kernel map: image %llu KiB (",
            (unsigned long long)((image_end - image) >> 10));
    for (unsigned i = 0; i < nsec; i++) {
        kprintf("%s%s %s", i ? ", " : "", sec[i].name,
                (sec[i].perms & MMU_WRITE)  ? "RW NX"
                : (sec[i].perms & MMU_EXEC) ? "RX"
                                            : "R NX");
    }
    kprintf("), linear map %llu MiB RW NX, %u device window%s; %llu 2 MiB blocks, %llu pages, "
            "%llu tables\n",
            (unsigned long long)(ram >> 20), ndev, ndev == 1 ? "" : "s",
            (unsigned long long)kvs.leaves[MMU_BLOCK_LEVEL],
            (unsigned long long)kvs.leaves[MMU_LEAF_LEVEL], (unsigned long long)kvs.tables);
}

struct vspace *kernel_vspace(void)
{
    return kvs_ready ? &kvs : NULL;
}

bool kernel_vspace_installed(void)
{
    return kvs_installed;
}
