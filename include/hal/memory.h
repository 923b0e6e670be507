/* Converting between physical addresses and the kernel's linear map, and
 * zeroing a page through it. */
#ifndef HAL_MEMORY_H
#define HAL_MEMORY_H

#include <stdint.h>

/*
 * The kernel virtual address through which physical address pa is reached,
 * and back: the physical address behind a linear-map (or kernel image)
 * address. Inline on the machine (arch/hal_memory.h):
 *   void *hal_phys_to_virt(uint64_t pa);
 *   uint64_t hal_virt_to_phys(const void *va);
 */
#ifdef HOST_BUILD
void *hal_phys_to_virt(uint64_t pa);
uint64_t hal_virt_to_phys(const void *va);
#else
#include "arch/hal_memory.h"
#endif

/* Zeroes the 4 KiB page at va (page-aligned, in the linear map), the
 * fastest way the CPU has: on AArch64, DC ZVA, a whole cache block (64
 * bytes on QEMU's Cortex-A53) per instruction. The MMU must be on. */
void hal_zero_page(void *va);

#endif
