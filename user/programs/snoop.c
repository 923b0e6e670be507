/*
 * snoop: tries to read memory that is not its own. "snoop other" reads the
 * address where every other program's code lives in its own address space
 * (and finds only its own code there: isolation by separate page tables),
 * then an address no one mapped for it. "snoop kernel" reads the kernel.
 * Either way the kernel kills it with a report; nobody else notices.
 */
#include "ulib.h"

int main(const char *arg, size_t arg_len)
{
    volatile const uint64_t *target;

    if (arg_len == 5 && memcmp(arg, "other", 5) == 0) {
        /* Every program is linked at 0x400000; here that is our own code. */
        uint64_t own = *(volatile const uint64_t *)0x400000;
        printf("snoop: 0x400000 holds 0x%016llx: my own code, not another task's\n",
               (unsigned long long)own);
        target = (volatile const uint64_t *)0x0000200000000000ULL;
        printf("snoop: now reading 0x%llx, which nobody mapped for me\n",
               (unsigned long long)(uintptr_t)target);
    } else {
        target = (volatile const uint64_t *)0xffff000040200000ULL;
        printf("snoop: reading the kernel at 0x%llx\n", (unsigned long long)(uintptr_t)target);
    }
    uint64_t value = *target;
    printf("snoop: read 0x%llx -- isolation is broken!\n", (unsigned long long)value);
    return 0;
}
