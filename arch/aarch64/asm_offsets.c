/*
 * The numbers the assembly needs about C structures and constants,
 * generated so that they can never drift: the build compiles this file to
 * assembly and turns each "->NAME value" marker it leaves (inside .ascii directives) into
 * "#define NAME value" in $(BUILD)/include/generated/asm_offsets.h
 * (the Makefile's ASM_OFFSETS rule). The .S files include that header.
 */
#include <stddef.h>

#include "arch/context.h"
#include "arch/esr.h"
#include "arch/trap_frame.h"
#include "hal/user.h"
#include "kernel/runqueue.h"
#include "kernel/thread_internal.h"
#include "uapi/syscall.h"

/* An assembler string directive, so that Clang's integrated assembler
 * accepts it as well as GCC's output does. */
#define DEFINE(name, value) __asm__ volatile("\n.ascii \"->" #name " %0\"" ::"i"((long)(value)))
#define TF_REG(n)           (offsetof(struct trap_frame, x) + 8 * (n))

/*
 * The assembly stores and loads two fields at once (stp/ldp) wherever they
 * are next to each other, so their order is part of the contract: a
 * reordered structure must break the build, not the kernel.
 */
#define ADJACENT(type, first, second)                                                              \
    _Static_assert(offsetof(type, second) == offsetof(type, first) + 8,                            \
                   "stp/ldp: " #first " then " #second " in " #type)

/* struct trap_frame (vectors.S, user_entry.S): x0-x30 are one array of
 * 8-byte registers, which makes every pair {xn, xn+1} adjacent (and
 * TF_REG right); the other pairs are named. */
_Static_assert(sizeof(((struct trap_frame *)0)->x[0]) == 8, "trap_frame.x: 8-byte registers");
_Static_assert(sizeof(((struct trap_frame *)0)->x) == 31 * 8, "trap_frame.x: x0-x30");
ADJACENT(struct trap_frame, sp, elr);   /* exception_entry, exception_return, hal_user_enter */
ADJACENT(struct trap_frame, elr, spsr); /* save_syscall_frame, restore_syscall_frame_and_eret */
ADJACENT(struct trap_frame, spsr, esr); /* exception_entry */
_Static_assert(sizeof(((struct trap_frame *)0)->frame_record) == 16, "frame record: {x29, elr}");

/* struct arch_context (context_switch.S): x19-x30 in pairs. */
ADJACENT(struct arch_context, x19, x20);
ADJACENT(struct arch_context, x21, x22);
ADJACENT(struct arch_context, x23, x24);
ADJACENT(struct arch_context, x25, x26);
ADJACENT(struct arch_context, x27, x28);
ADJACENT(struct arch_context, x29, x30);

/* The entry loads these with 32-bit loads. */
_Static_assert(sizeof(((struct thread *)0)->rq.priority) == 4, "ldr w: rq.priority");
_Static_assert(sizeof(((struct runqueue *)0)->ready_bitmap) == 4, "ldr w: ready_bitmap");

void asm_offsets(void);

void asm_offsets(void)
{
    /* struct trap_frame (arch/trap_frame.h) */
    DEFINE(TF_X0, TF_REG(0));
    DEFINE(TF_X1, TF_REG(1));
    DEFINE(TF_X2, TF_REG(2));
    DEFINE(TF_X4, TF_REG(4));
    DEFINE(TF_X6, TF_REG(6));
    DEFINE(TF_X8, TF_REG(8));
    DEFINE(TF_X10, TF_REG(10));
    DEFINE(TF_X12, TF_REG(12));
    DEFINE(TF_X14, TF_REG(14));
    DEFINE(TF_X16, TF_REG(16));
    DEFINE(TF_X18, TF_REG(18));
    DEFINE(TF_X20, TF_REG(20));
    DEFINE(TF_X22, TF_REG(22));
    DEFINE(TF_X24, TF_REG(24));
    DEFINE(TF_X26, TF_REG(26));
    DEFINE(TF_X28, TF_REG(28));
    DEFINE(TF_X30, TF_REG(30));
    DEFINE(TF_X19, TF_REG(19));
    DEFINE(TF_X21, TF_REG(21));
    DEFINE(TF_X23, TF_REG(23));
    DEFINE(TF_X25, TF_REG(25));
    DEFINE(TF_X27, TF_REG(27));
    DEFINE(TF_X29, TF_REG(29));
    DEFINE(TF_SP, offsetof(struct trap_frame, sp));
    DEFINE(TF_ELR, offsetof(struct trap_frame, elr));
    DEFINE(TF_SPSR, offsetof(struct trap_frame, spsr));
    DEFINE(TF_ESR, offsetof(struct trap_frame, esr));
    DEFINE(TF_FAR, offsetof(struct trap_frame, far));
    DEFINE(TF_FRAME_RECORD, offsetof(struct trap_frame, frame_record));
    DEFINE(TF_SIZE, sizeof(struct trap_frame));

    /* struct arch_context, the words of a struct hal_context (arch/context.h) */
    DEFINE(CTX_X19, offsetof(struct arch_context, x19));
    DEFINE(CTX_X21, offsetof(struct arch_context, x21));
    DEFINE(CTX_X23, offsetof(struct arch_context, x23));
    DEFINE(CTX_X25, offsetof(struct arch_context, x25));
    DEFINE(CTX_X27, offsetof(struct arch_context, x27));
    DEFINE(CTX_X29, offsetof(struct arch_context, x29));
    DEFINE(CTX_SP, offsetof(struct arch_context, sp));

    /* ESR_EL1: the exception class of a system call (arch/esr.h) */
    DEFINE(ESR_EC_SHIFT, 26);
    DEFINE(ESR_EC_SVC64, EC_SVC64);

    /* How the entry sorts system calls (include/hal/user.h). */
    DEFINE(SYSCALL_COUNT, SYSCALL_COUNT);
    DEFINE(SYSCALL_FAST_LAST, SYSCALL_FAST_LAST);
    DEFINE(SYS_CALL, SYS_CALL);
    DEFINE(SYS_REPLY_RECV, SYS_REPLY_RECV);
    DEFINE(SYS_YIELD, SYS_YIELD);
    DEFINE(SYSCALL_PARKING_MASK, HAL_SYSCALL_PARKING_MASK);

    /* The scheduler state the entry's yield test reads (include/hal/user.h). */
    DEFINE(THREAD_PRIORITY, offsetof(struct thread, rq.priority));
    DEFINE(RQ_READY_BITMAP, offsetof(struct runqueue, ready_bitmap));
}
