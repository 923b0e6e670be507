/* Converting between physical addresses and the kernel's linear map. */
#ifndef HAL_MEMORY_H
#define HAL_MEMORY_H

#include <stdint.h>

/* The kernel virtual address through which physical address pa is reached. */
void *hal_phys_to_virt(uint64_t pa);

/* The physical address behind a linear-map (or kernel image) address. */
uint64_t hal_virt_to_phys(const void *va);

#endif
