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
 * The offsets are used by assembly; TF_* below must match the struct.
 */
#ifndef ARCH_TRAP_FRAME_H
#define ARCH_TRAP_FRAME_H

#define TF_X0           0
#define TF_SP           248
#define TF_ELR          256
#define TF_SPSR         264
#define TF_ESR          272
#define TF_FAR          280
#define TF_FRAME_RECORD 288
#define TF_SIZE         304

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

_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, sp) == TF_SP, "trap frame sp");
_Static_assert(__builtin_offsetof(struct trap_frame, frame_record) == TF_FRAME_RECORD,
               "trap frame record");
#endif

#endif
