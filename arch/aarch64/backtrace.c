/*
 * Walking AArch64 frame records. With -fno-omit-frame-pointer each function
 * stores {x29, x30} (its caller's frame pointer and its return address) and
 * sets x29 to point at that pair, so x29 heads a linked list up the stack.
 *
 * A fault report must never fault itself, so before each step the frame
 * pointer is checked: 16-byte aligned, in the upper half, above the previous
 * frame, and mapped (probed with the "at s1e1r" address translation
 * instruction, which reports failure in PAR_EL1 instead of faulting).
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/memory_layout.h"
#include "arch/sysreg.h"
#include "hal/backtrace.h"

static bool frame_is_readable(uintptr_t fp)
{
    uint64_t par;

    if (fp < KERNEL_VIRT_OFFSET || (fp & 15) != 0) {
        return false;
    }
    __asm__ volatile("at s1e1r, %0\n\tisb" ::"r"(fp) : "memory");
    par = sysreg_read_par_el1();
    return (par & 1) == 0; /* PAR_EL1.F: the translation failed */
}

unsigned hal_backtrace(uintptr_t fp, uintptr_t *pcs, unsigned max)
{
    unsigned n = 0;

    while (n < max && fp != 0 && frame_is_readable(fp)) {
        const uintptr_t *record = (const uintptr_t *)fp;
        uintptr_t next = record[0];
        uintptr_t lr = record[1];

        if (lr == 0) {
            break;
        }
        pcs[n++] = lr;
        if (next <= fp) {
            break; /* stacks grow down, so callers' frames are above */
        }
        fp = next;
    }
    return n;
}
