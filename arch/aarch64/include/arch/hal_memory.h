/*
 * The architecture's inline half of include/hal/memory.h: the linear map is
 * a fixed offset, one addition each way.
 */
#ifndef ARCH_HAL_MEMORY_H
#define ARCH_HAL_MEMORY_H

#include <stdint.h>

#include "arch/memory_layout.h"

static inline void *hal_phys_to_virt(uint64_t pa)
{
    return (void *)(uintptr_t)(pa + KERNEL_VIRT_OFFSET);
}

static inline uint64_t hal_virt_to_phys(const void *va)
{
    return (uint64_t)(uintptr_t)va - KERNEL_VIRT_OFFSET;
}

#endif
