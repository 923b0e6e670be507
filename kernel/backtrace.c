/*
 * Printing a backtrace: the frame-record walk comes from the HAL, the names
 * from the embedded symbol table.
 */
#include "hal/backtrace.h"
#include "kernel/ksyms.h"
#include "lib/printf.h"

#define BACKTRACE_MAX_DEPTH 32

void backtrace_print(uint64_t pc, uint64_t fp)
{
    uintptr_t pcs[BACKTRACE_MAX_DEPTH];
    char where[96];
    unsigned n = hal_backtrace((uintptr_t)fp, pcs, BACKTRACE_MAX_DEPTH);

    unsigned depth = 0;

    kprintf("Backtrace:\n");
    if (pc) {
        kprintf("  #%-2u 0x%016llx  %s\n", depth++, (unsigned long long)pc,
                ksyms_format(pc, where, sizeof(where)));
    }
    for (unsigned i = 0; i < n; i++) {
        /* A return address points after the call; name the call itself. */
        kprintf("  #%-2u 0x%016llx  %s\n", depth++, (unsigned long long)pcs[i],
                ksyms_format(pcs[i] - 4, where, sizeof(where)));
    }
}
