/*
 * hal_context_switch(from, to): the kernel's thread switch.
 *
 * A switch is a function call, so the C calling convention has already
 * saved every caller-saved register (x0-x18) on the old thread's stack if it
 * needed them. What is left is the callee-saved state: x19-x28, the frame
 * pointer x29, the link register x30 (where the old thread resumes) and sp.
 * Store those into *from, load them from *to, and "return" into the new
 * thread.
 *
 * struct hal_context layout (include/hal/context.h, 14 words):
 *   0: x19 x20   16: x21 x22   32: x23 x24   48: x25 x26
 *  64: x27 x28   80: x29 x30   96: sp
 */
.section .text
.globl hal_context_switch
hal_context_switch:
    stp     x19, x20, [x0, #0]
    stp     x21, x22, [x0, #16]
    stp     x23, x24, [x0, #32]
    stp     x25, x26, [x0, #48]
    stp     x27, x28, [x0, #64]
    stp     x29, x30, [x0, #80]
    mov     x9, sp
    str     x9, [x0, #96]

    ldp     x19, x20, [x1, #0]
    ldp     x21, x22, [x1, #16]
    ldp     x23, x24, [x1, #32]
    ldp     x25, x26, [x1, #48]
    ldp     x27, x28, [x1, #64]
    ldp     x29, x30, [x1, #80]
    ldr     x9, [x1, #96]
    mov     sp, x9
    ret

/*
 * A new thread's first "return" lands here (hal_context_init sets x30 to
 * it), with its entry function in x19 and the argument in x20. A zero frame
 * pointer and link register end backtraces at the thread's first function.
 */
.globl context_thread_start
context_thread_start:
    mov     x0, x20
    mov     x29, xzr
    mov     x30, xzr
    br      x19
