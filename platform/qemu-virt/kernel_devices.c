/*
 * The MMIO the kernel itself touches on QEMU virt, for its address space
 * (kernel/kernel_vspace.c maps each window as Device memory). Everything
 * else in the device region stays unmapped in the kernel: a stray pointer
 * there faults instead of poking a device.
 *
 * The window sizes are the reg sizes QEMU's device tree gives (hw/arm/virt.c):
 * 4 KiB for a PL011, 64 KiB each for the GICv2 distributor and CPU interface.
 */
#include "hal/mmu.h"
#include "kernel/boot_info.h"
#include "memory_map.h"

#define UART_WINDOW 0x1000
#define GIC_WINDOW  0x10000

static unsigned kernel_devices_add(struct mem_range *out, unsigned n, unsigned max, uint64_t base,
                                   uint64_t size)
{
    if (base != 0 && n < max) {
        out[n].base = base & ~(MMU_PAGE_SIZE - 1);
        out[n].size = size;
        n++;
    }
    return n;
}

unsigned hal_mmu_kernel_devices(const struct boot_info *bi, struct mem_range *out, unsigned max)
{
    unsigned n = 0;

    /* The console stays on the early UART when the device tree names none (platform.c). */
    n = kernel_devices_add(out, n, max, bi->uart_base ? bi->uart_base : VIRT_UART0_BASE,
                           UART_WINDOW);
    n = kernel_devices_add(out, n, max, bi->gicd_base, GIC_WINDOW);
    n = kernel_devices_add(out, n, max, bi->gicc_base, GIC_WINDOW);
    return n;
}
