/*
 * The trap frame: every register of the interrupted context, saved by
 * vectors.S on the stack at each exception and restored on the way out.
 *
 *   offset   0  x0 .. x30      (31 registers)
 *   offset 248  sp             the interrupted stack pointer (SP_EL0 for EL0)
 *   offset 256  elr            where eret resumes
 *   offset 264  spsr           the PSTATE eret restores
 *   offset 272  esr            why the exception happened (sync only)
 *   offset 280  far            the faulting address (aborts only)
 *   offset 288  frame record   {x29, elr}: lets a backtrace walk through the exception
 *
 * The assembly reads the offsets as TF_* from the generated
 * asm_offsets.h (arch/aarch64/asm_offsets.c), never as numbers of its own.
 *
 * Not every entry fills all of it (vectors.S says why for each):
 *   a system call (el0_fast, el0_svc)  x0-x5, x29, x30, sp, elr, spsr and
 *                                      the frame record; x19-x28 too when
 *                                      the call may park the thread (call
 *                                      and reply_recv always do)
 *   a yield (el0_yield)                x0 and x1 only, if it does not
 *                                      switch; else as a system call,
 *                                      x19-x28 included
 *   an interrupt from EL0 (el0_irq)    x0-x18, x29, x30, sp, elr, spsr and
 *                                      the frame record, not x19-x28, esr
 *                                      or far
 *   a fault, a trap, anything from EL1 all of it
 */
#ifndef ARCH_TRAP_FRAME_H
#define ARCH_TRAP_FRAME_H

/* The 16 vector kinds: source * 4 + type (see vectors.S). */
#define VEC_SYNC            0
#define VEC_IRQ             1
#define VEC_FIQ             2
#define VEC_SERROR          3
#define VEC_CUR_SP0         0
#define VEC_CUR_SPX         4
#define VEC_LOWER_A64       8
#define VEC_LOWER_A32       12
/* Not a vector: a synchronous exception from the kernel whose frame would have
 * landed in a kernel stack's guard, now on the emergency stack (vectors.S). */
#define VEC_KSTACK_OVERFLOW 16

#ifndef __ASSEMBLY__
#include <stdint.h>

struct trap_frame {
    uint64_t x[31];
    uint64_t sp;
    uint64_t elr;
    uint64_t spsr;
    uint64_t esr;
    uint64_t far;
    uint64_t frame_record[2];
};

/* 16-byte multiples keep sp aligned below a frame. */
_Static_assert(sizeof(struct trap_frame) % 16 == 0, "trap frame size");
#endif

#endif
