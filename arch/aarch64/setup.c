/*
 * arch_boot_main: the first C code on the upper half. boot.S calls it with
 * the MMU on, caches on and the boot stack, interrupts masked. It finds and
 * reads the device tree, maps all RAM, and hands a struct boot_info to the
 * portable kmain().
 *
 * Where is the device tree? It depends on how QEMU loaded us:
 *   - a raw Image (qemu -kernel build/kernel.img): QEMU passes its physical
 *     address in x0, as Linux's boot protocol asks;
 *   - an ELF (qemu -kernel build/kernel.elf): x0 is 0, and QEMU has put the
 *     DTB at the start of RAM (it does so only when the ELF loads at or above
 *     RAM base + 1 MiB; we load at + 2 MiB).
 */
#include <stdint.h>

#include "arch/boot.h"
#include "arch/pte.h"
#include "hal/memory.h"
#include "hal/platform.h"
#include "hal/power.h"
#include "kernel/boot_info.h"
#include "kernel/platform.h"
#include "lib/errors.h"
#include "lib/printf.h"

#define FDT_MAGIC_BE 0xedfe0dd0u /* 0xd00dfeed as read little-endian */

static struct boot_info boot_info;

/* The blob's totalsize header field (big-endian, at offset 4). */
static uint64_t dtb_total_size(uint64_t pa)
{
    const uint8_t *p = (const uint8_t *)hal_phys_to_virt(pa) + 4;
    return ((uint64_t)p[0] << 24) | ((uint64_t)p[1] << 16) | ((uint64_t)p[2] << 8) | p[3];
}

/* Is there a device tree at pa, inside the boot map (the kernel's GiB)? */
static uint64_t dtb_room(uint64_t pa)
{
    uint64_t kernel_gib = hal_virt_to_phys(_text) & ~(GIB - 1);

    if (pa < kernel_gib || pa >= kernel_gib + GIB || (pa & 7) != 0) {
        return 0;
    }
    if (*(const uint32_t *)hal_phys_to_virt(pa) != FDT_MAGIC_BE) {
        return 0;
    }
    return kernel_gib + GIB - pa;
}

static __attribute__((noreturn)) void boot_fail(const char *what, uint64_t pa, int err)
{
    kprintf("boot: %s (at 0x%llx): %s (%s)\n", what, (unsigned long long)pa, error_name(err),
            error_string(err));
    kprintf("boot: cannot continue without a valid device tree\n");
    hal_power_off(POWER_EXIT_PANIC);
}

void arch_boot_main(uint64_t dtb_pa, uint64_t entry_el)
{
    platform_early_console_init();

    uint64_t room = dtb_pa ? dtb_room(dtb_pa) : 0;
    if (room == 0) {
        if (dtb_pa) {
            kprintf("boot: x0 = 0x%llx holds no device tree; trying the start of RAM\n",
                    (unsigned long long)dtb_pa);
        }
        dtb_pa = platform_ram_base();
        room = dtb_room(dtb_pa);
    }
    if (room == 0) {
        boot_fail("no device tree found", dtb_pa, E_NOENT);
    }

    int err = platform_parse_dtb(hal_phys_to_virt(dtb_pa), room, &boot_info);
    if (err < 0) {
        boot_fail("the device tree is malformed", dtb_pa, err);
    }
    boot_info.kernel.base = hal_virt_to_phys(_text);
    boot_info.kernel.size = (uint64_t)(_end - _text);
    boot_info.dtb.base = dtb_pa;
    boot_info.dtb.size = dtb_total_size(dtb_pa);
    boot_info.entry_el = (uint32_t)entry_el;

    power_init(&boot_info);
    arch_cpu_enable_pan();
    linear_map_build(&boot_info);
    kmain(&boot_info);
}
