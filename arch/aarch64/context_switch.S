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
 * The layout of the saved context is struct arch_context
 * (arch/context.h), through the offsets asm_offsets.c generates.
 */
#include "generated/asm_offsets.h"

.section .text
.globl hal_context_switch
hal_context_switch:
    stp     x19, x20, [x0, #CTX_X19]
    stp     x21, x22, [x0, #CTX_X21]
    stp     x23, x24, [x0, #CTX_X23]
    stp     x25, x26, [x0, #CTX_X25]
    stp     x27, x28, [x0, #CTX_X27]
    stp     x29, x30, [x0, #CTX_X29]
    mov     x9, sp
    str     x9, [x0, #CTX_SP]
    mov     x0, x1
    /* fall through: load the new thread's context */

/*
 * hal_context_load(to): the same without saving anything: the thread that
 * calls it never continues from here (it exited, or it parked with its
 * registers in its trap frame).
 */
.globl hal_context_load
hal_context_load:
    ldp     x19, x20, [x0, #CTX_X19]
    ldp     x21, x22, [x0, #CTX_X21]
    ldp     x23, x24, [x0, #CTX_X23]
    ldp     x25, x26, [x0, #CTX_X25]
    ldp     x27, x28, [x0, #CTX_X27]
    ldp     x29, x30, [x0, #CTX_X29]
    ldr     x9, [x0, #CTX_SP]
    mov     sp, x9
    ret

/*
 * A new thread's first "return" lands here (hal_context_init sets x30 to
 * it), with its entry function in x19 and the argument in x20. The entry
 * function's frame record {0, context_thread_start+8} is the last one of
 * every backtrace on this stack; for gdb, which unwinds by call frame
 * information (in .debug_frame, which is not loaded), ".cfi_undefined x30"
 * says that this code has no caller. The entry never returns.
 */
    .cfi_sections .debug_frame
.globl context_thread_start
context_thread_start:
    .cfi_startproc
    .cfi_undefined x30
    mov     x0, x20
    mov     x29, xzr
    blr     x19
    brk     #0
    .cfi_endproc

/*
 * A parked thread's "return" after a switch lands here (hal_context_park
 * sets x30 to it), with sp at its trap frame: the core finishes the switch
 * on this stack, then the thread goes back to user mode from the frame.
 */
.globl context_resume_parked
context_resume_parked:
    .cfi_startproc
    .cfi_undefined x30
    mov     x29, xzr
    bl      kernel_after_switch
    mov     x0, sp
    b       hal_user_resume
    .cfi_endproc
