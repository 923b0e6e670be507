/* Zeroing pages with DC ZVA (the linear map itself is arch/hal_memory.h). */
#include "arch/sysreg.h"
#include "hal/memory.h"

#define PAGE_BYTES   4096u
#define DCZID_DZP    (1u << 4)          /* DC ZVA prohibited */
#define DCZID_BS(id) (4u << ((id)&0xf)) /* block size, in bytes */

void hal_zero_page(void *va)
{
    uint64_t id;
    char *p = va;

    __asm__ volatile("mrs %0, dczid_el0" : "=r"(id));
    if (id & DCZID_DZP) {
        uint64_t *w = va;
        for (unsigned i = 0; i < PAGE_BYTES / sizeof(uint64_t); i++) {
            w[i] = 0;
        }
        return;
    }
    unsigned block = DCZID_BS(id);
    char *end = p + PAGE_BYTES;
    if (block > PAGE_BYTES / 4) {
        for (; p < end; p += block) {
            __asm__ volatile("dc zva, %0" ::"r"(p) : "memory");
        }
        return;
    }
    for (; p < end; p += 4 * block) {
        /* Four blocks a turn: a page is a whole number of fours here. */
        __asm__ volatile("dc zva, %0\n\t"
                         "dc zva, %1\n\t"
                         "dc zva, %2\n\t"
                         "dc zva, %3" ::"r"(p),
                         "r"(p + block), "r"(p + 2 * block), "r"(p + 3 * block)
                         : "memory");
    }
}
