/* The linear map as the HAL presents it: a fixed offset in the upper half. */
#include "arch/memory_layout.h"
#include "hal/memory.h"

void *hal_phys_to_virt(uint64_t pa)
{
    return (void *)(uintptr_t)(pa + KERNEL_VIRT_OFFSET);
}

uint64_t hal_virt_to_phys(const void *va)
{
    return (uint64_t)(uintptr_t)va - KERNEL_VIRT_OFFSET;
}
