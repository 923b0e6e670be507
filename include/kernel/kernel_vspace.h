/*
 * The kernel's own address space: the upper half the kernel runs in after
 * boot, built by kernel/kernel_vspace.c with the portable vspace code.
 *
 *   image        text RX, rodata R, data+bss RW and never executable (W^X),
 *                in 4 KiB pages at the image's linked (= linear-map) address
 *   linear map   every other page of RAM at physical + the kernel offset,
 *                RW and never executable, 2 MiB blocks where alignment allows
 *   devices      only the MMIO windows the kernel itself uses, Device-nGnRE
 *   kstacks      guard-paged kernel stacks, mapped later (kernel/kstack.c)
 *
 * The image is part of RAM, so its pages are the linear map's pages too: it
 * has one mapping only, with the stricter permissions, and no alias that is
 * both writable and executable.
 */
#ifndef KERNEL_KERNEL_VSPACE_H
#define KERNEL_KERNEL_VSPACE_H

#include <stdbool.h>

#include "kernel/vspace.h"

struct boot_info;

/*
 * Builds the kernel address space from frame_global() and switches the CPU
 * to it, then prints a one-line summary. Called once by kmain, right after
 * the frame allocator is up and before anything else maps memory. Panics
 * if it cannot: the kernel would have nowhere to run.
 */
void kernel_vspace_init(const struct boot_info *bi);

/* The kernel address space, or NULL before kernel_vspace_init(). */
struct vspace *kernel_vspace(void);

/* Whether the CPU runs on kernel_vspace() (false in the host tests, which fake it). */
bool kernel_vspace_installed(void);

#endif
