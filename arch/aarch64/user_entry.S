/*
 * hal_user_enter(entry, user_sp, arg0, arg1, kstack_top): the first entry
 * of a thread into user mode.
 *
 * Going to EL0 is an exception return: build a trap frame as if the thread
 * had been interrupted at entry (SPSR = 0: EL0t, interrupts unmasked), and
 * leave through exception_return (vectors.S), the exit of the full
 * exception path, which reloads every register from the frame: all zero
 * but x0 and x1. (System calls and interrupts from EL0 have leaner exits
 * of their own.) From then on the thread's kernel stack is empty while it
 * runs at EL0, and the next exception from EL0 lands at its top.
 */
#include "generated/asm_offsets.h"

.section .text
.globl hal_user_enter
hal_user_enter:
    msr     daifset, #2             /* no interrupt until the eret */
    mov     sp, x4
    sub     sp, sp, #TF_SIZE
    mov     x9, sp
    mov     x10, #(TF_SIZE / 16)
1:  stp     xzr, xzr, [x9], #16     /* every register starts at zero */
    subs    x10, x10, #1
    b.ne    1b
    stp     x2, x3, [sp, #TF_X0]    /* x0, x1: the arguments */
    stp     x1, x0, [sp, #TF_SP]    /* sp_el0, elr */
    str     xzr, [sp, #TF_SPSR]     /* EL0t, DAIF clear */
    b       exception_return
