/*
 * QEMU virt's fixed addresses that the kernel needs before it has read the
 * device tree (hw/arm/virt.c in QEMU's source). Everything else comes from
 * the device tree at boot.
 */
#ifndef PLATFORM_QEMU_VIRT_MEMORY_MAP_H
#define PLATFORM_QEMU_VIRT_MEMORY_MAP_H

#define VIRT_RAM_BASE   0x40000000ULL
#define VIRT_UART0_BASE 0x09000000ULL
/* Needed before the device tree only at EL3 (see el3_setup.S). */
#define VIRT_GICD_BASE  0x08000000
#define VIRT_GICC_BASE  0x08010000
#ifndef __ASSEMBLY__
/* The PL011's reference clock on virt ("apb-pclk" in the DTB): 24 MHz. */
#define VIRT_UART_CLOCK_HZ 24000000u
#define VIRT_UART_BAUD     115200u
#endif

#endif
