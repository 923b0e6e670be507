/*
 * Where the kernel lives, physically and virtually. Shared by the linker
 * script, the boot assembly and C, so it holds only plain constants.
 *
 * The kernel runs in the upper half of the address space (TTBR1). Physical
 * memory is mapped linearly there: virtual = physical + KERNEL_VIRT_OFFSET.
 * The image is loaded at KERNEL_PHYS_BASE, so its link address is simply the
 * linear-map address of its load address.
 *
 * Why 0x40200000: it is the RAM base of QEMU virt (0x40000000) plus 2 MiB.
 * QEMU puts the device tree at the RAM base for ELF kernels only when the
 * kernel loads at or above 0x40100000, and an arm64 Image asks for a 2 MiB
 * aligned base plus text_offset, which is this same address.
 */
#ifndef ARCH_MEMORY_LAYOUT_H
#define ARCH_MEMORY_LAYOUT_H

#define KERNEL_VIRT_OFFSET 0xffff000000000000
#define KERNEL_PHYS_BASE   0x40200000
#define KERNEL_TEXT_OFFSET 0x200000
#define KERNEL_VIRT_BASE   (KERNEL_VIRT_OFFSET + KERNEL_PHYS_BASE)

/* The boot stack, in BSS; later each thread gets its own. */
#define BOOT_STACK_SIZE 0x4000

#endif
