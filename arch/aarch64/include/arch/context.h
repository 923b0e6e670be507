/*
 * What hal_context_switch keeps of a kernel thread while it is not running
 * (the opaque words of struct hal_context, include/hal/context.h): the
 * registers the C calling convention makes a callee preserve, and sp.
 * context_switch.S reads and writes it through the generated CTX_* offsets.
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <stdint.h>

#include "hal/context.h"

struct arch_context {
    uint64_t x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
    uint64_t x29; /* the frame pointer */
    uint64_t x30; /* where the thread resumes: the "return" of its switch */
    uint64_t sp;
};

_Static_assert(sizeof(struct arch_context) <= sizeof(struct hal_context),
               "struct hal_context holds an arch_context");

#endif
