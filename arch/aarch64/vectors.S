/*
 * The exception vector table: 16 entries of 128 bytes, at VBAR_EL1.
 *
 * The CPU picks an entry by where the exception came from and what it is:
 *
 *   offset  source                              sync   IRQ    FIQ    SError
 *   0x000   current EL, using SP_EL0            0x000  0x080  0x100  0x180
 *   0x200   current EL, using SP_ELx (kernel)   0x200  0x280  0x300  0x380
 *   0x400   lower EL, AArch64 (user programs)   0x400  0x480  0x500  0x580
 *   0x600   lower EL, AArch32 (unsupported)     0x600  0x680  0x700  0x780
 *
 * Every entry saves x0/x1, loads its kind number (0-15) and branches to
 * exception_entry, which saves the rest of the trap frame (trap_frame.h)
 * and calls arch_exception(frame, kind) in exception.c.
 *
 * Except one: a system call. The synchronous entry from EL0 looks at the
 * exception class before it saves anything more, and a system call takes
 * its own, leaner road (el0_svc, below): it saves only what C does not keep
 * by itself, since the call is allowed to change x1-x18 (the ABI,
 * include/uapi/syscall.h).
 *
 * One entry does more: a synchronous exception from the kernel itself first
 * checks that its frame will not land in the guard of a kernel stack
 * (include/kernel/kstack.h). If it would, the stack has overflowed, and
 * pushing the frame would only fault again, forever; it moves to a per-CPU
 * emergency stack instead (kstack_overflow, below).
 */
#include "arch/trap_frame.h"
#include "generated/asm_offsets.h"
#include "kernel/kstack.h"

/* The emergency stacks: one per CPU, indexed by MPIDR_EL1.Aff0. */
#define EMERGENCY_STACK_SHIFT 13 /* 8 KiB: enough for kernel_fault's report */
#define EMERGENCY_STACK_CPUS 8

.macro vector_entry kind
    .balign 0x80
    sub     sp, sp, #TF_SIZE
    stp     x0, x1, [sp, #TF_X0]
    mov     x0, #\kind
    b       exception_entry
.endm

/*
 * The kernel's own synchronous exceptions. No register is free for the
 * check, so x0 is borrowed by parking it in sp: after sp += x0, sp - x0 is
 * the old sp, and the same steps backwards give both back. The flags may
 * change: SPSR_EL1 holds the interrupted ones.
 */
.macro vector_entry_stack_checked kind
    .balign 0x80
    add     sp, sp, x0
    sub     x0, sp, x0                      /* x0 = the interrupted sp */
    sub     x0, x0, #TF_SIZE                /* the lowest byte the frame would use */
    eor     x0, x0, #KSTACK_REGION_BASE     /* now the offset into the region, if in it */
    tst     x0, #(-(1 << KSTACK_REGION_SHIFT))
    b.ne    1f                              /* not a guard-paged stack */
    tbz     x0, #KSTACK_GUARD_BIT, kstack_overflow
1:  eor     x0, x0, #KSTACK_REGION_BASE
    add     x0, x0, #TF_SIZE
    sub     x0, sp, x0                      /* x0 = the interrupted x0 */
    sub     sp, sp, x0                      /* sp = the interrupted sp */
    sub     sp, sp, #TF_SIZE
    stp     x0, x1, [sp, #TF_X0]
    mov     x0, #\kind
    b       exception_entry
.endm

/* A synchronous exception from EL0: a system call, or anything else (a fault,
 * the FP/SIMD trap), told apart by ESR_EL1's exception class. */
.macro vector_entry_el0_sync
    .balign 0x80
    sub     sp, sp, #TF_SIZE
    stp     x0, x1, [sp, #TF_X0]
    mrs     x0, esr_el1
    lsr     x0, x0, #ESR_EC_SHIFT
    cmp     x0, #ESR_EC_SVC64
    b.eq    el0_svc
    mov     x0, #(VEC_LOWER_A64 + VEC_SYNC)
    b       exception_entry
.endm

.section .text
.balign 0x800
.globl exception_vectors
exception_vectors:
    vector_entry (VEC_CUR_SP0 + VEC_SYNC)
    vector_entry (VEC_CUR_SP0 + VEC_IRQ)
    vector_entry (VEC_CUR_SP0 + VEC_FIQ)
    vector_entry (VEC_CUR_SP0 + VEC_SERROR)
    vector_entry_stack_checked (VEC_CUR_SPX + VEC_SYNC)
    vector_entry (VEC_CUR_SPX + VEC_IRQ)
    vector_entry (VEC_CUR_SPX + VEC_FIQ)
    vector_entry (VEC_CUR_SPX + VEC_SERROR)
    vector_entry_el0_sync
    vector_entry (VEC_LOWER_A64 + VEC_IRQ)
    vector_entry (VEC_LOWER_A64 + VEC_FIQ)
    vector_entry (VEC_LOWER_A64 + VEC_SERROR)
    vector_entry (VEC_LOWER_A32 + VEC_SYNC)
    vector_entry (VEC_LOWER_A32 + VEC_IRQ)
    vector_entry (VEC_LOWER_A32 + VEC_FIQ)
    vector_entry (VEC_LOWER_A32 + VEC_SERROR)

/* x0 = kind; the interrupted x0 and x1 are already at [sp]. */
exception_entry:
    stp     x2, x3, [sp, #TF_X2]
    stp     x4, x5, [sp, #TF_X4]
    stp     x6, x7, [sp, #TF_X6]
    stp     x8, x9, [sp, #TF_X8]
    stp     x10, x11, [sp, #TF_X10]
    stp     x12, x13, [sp, #TF_X12]
    stp     x14, x15, [sp, #TF_X14]
    stp     x16, x17, [sp, #TF_X16]
    stp     x18, x19, [sp, #TF_X18]
    stp     x20, x21, [sp, #TF_X20]
    stp     x22, x23, [sp, #TF_X22]
    stp     x24, x25, [sp, #TF_X24]
    stp     x26, x27, [sp, #TF_X26]
    stp     x28, x29, [sp, #TF_X28]
    str     x30, [sp, #TF_X30]

    /* The interrupted sp: SP_EL0 for a lower EL (and for VEC_KSTACK_OVERFLOW,
     * which parks it there), else the value before our sub. */
    add     x2, sp, #TF_SIZE
    cmp     x0, #VEC_LOWER_A64
    b.lo    1f
    mrs     x2, sp_el0
1:  mrs     x3, elr_el1
    stp     x2, x3, [sp, #TF_SP]
    mrs     x4, spsr_el1
    mrs     x5, esr_el1
    stp     x4, x5, [sp, #TF_SPSR]
    mrs     x6, far_el1
    str     x6, [sp, #TF_FAR]
    /* A frame record {fp, pc} so backtraces continue into the interrupted code. */
    stp     x29, x3, [sp, #TF_FRAME_RECORD]
    add     x29, sp, #TF_FRAME_RECORD

    mov     x1, x0
    mov     x0, sp
    bl      arch_exception

.globl exception_return
exception_return:
    ldp     x2, x3, [sp, #TF_SP]
    ldr     x4, [sp, #TF_SPSR]
    msr     elr_el1, x3
    msr     spsr_el1, x4
    /* Returning to EL0 (SPSR.M[3:0] == 0): restore its stack pointer. */
    tst     x4, #0xf
    b.ne    2f
    msr     sp_el0, x2
2:  ldp     x0, x1, [sp, #TF_X0]
    ldp     x2, x3, [sp, #TF_X2]
    ldp     x4, x5, [sp, #TF_X4]
    ldp     x6, x7, [sp, #TF_X6]
    ldp     x8, x9, [sp, #TF_X8]
    ldp     x10, x11, [sp, #TF_X10]
    ldp     x12, x13, [sp, #TF_X12]
    ldp     x14, x15, [sp, #TF_X14]
    ldp     x16, x17, [sp, #TF_X16]
    ldp     x18, x19, [sp, #TF_X18]
    ldp     x20, x21, [sp, #TF_X20]
    ldp     x22, x23, [sp, #TF_X22]
    ldp     x24, x25, [sp, #TF_X24]
    ldp     x26, x27, [sp, #TF_X26]
    ldp     x28, x29, [sp, #TF_X28]
    ldr     x30, [sp, #TF_X30]
    add     sp, sp, #TF_SIZE
    eret

/*
 * el0_svc: a system call; x0 and x1 are saved, x8 holds its number.
 *
 * Saved: x0-x7 (the arguments; the results go back there), x29 and x30,
 * SP_EL0, ELR and SPSR, and a frame record for backtraces. Not saved:
 * x8-x18, which the call may change and which go back as zero, and
 * x19-x28, which C keeps by itself. A call that may park the thread
 * (include/hal/user.h: leave it blocked with nothing on its kernel stack
 * but this frame) saves x19-x28 too, for its resumption.
 */
el0_svc:
    stp     x2, x3, [sp, #TF_X2]
    stp     x4, x5, [sp, #TF_X4]
    stp     x6, x7, [sp, #TF_X6]
    mrs     x9, sp_el0
    mrs     x10, elr_el1
    mrs     x11, spsr_el1
    stp     x29, x30, [sp, #TF_X29]
    str     x9, [sp, #TF_SP]
    stp     x10, x11, [sp, #TF_ELR]
    stp     x29, x10, [sp, #TF_FRAME_RECORD]
    add     x29, sp, #TF_FRAME_RECORD
    cmp     x8, #SYSCALL_COUNT
    b.hs    1f
    mov     x9, #SYSCALL_PARKING_MASK
    lsr     x9, x9, x8
    tbz     x9, #0, 1f
    stp     x19, x20, [sp, #TF_X19]
    stp     x21, x22, [sp, #TF_X21]
    stp     x23, x24, [sp, #TF_X23]
    stp     x25, x26, [sp, #TF_X25]
    stp     x27, x28, [sp, #TF_X27]
1:  mov     x0, sp
    mov     x1, x8
    bl      kernel_syscall
    /* fall through, on the same frame */

/*
 * Back to user mode after a system call, sp at its trap frame: x0-x7 (the
 * results), x29, x30 and the system registers from the frame; x8-x18
 * cleared, so nothing of the kernel's or another task's stays there;
 * x19-x28 as C kept them (or as hal_user_resume just loaded them).
 */
el0_svc_return:
    ldp     x10, x11, [sp, #TF_ELR]
    ldr     x9, [sp, #TF_SP]
    ldp     x29, x30, [sp, #TF_X29]
    msr     elr_el1, x10
    msr     spsr_el1, x11
    msr     sp_el0, x9
    ldp     x0, x1, [sp, #TF_X0]
    ldp     x2, x3, [sp, #TF_X2]
    ldp     x4, x5, [sp, #TF_X4]
    ldp     x6, x7, [sp, #TF_X6]
    mov     x8, xzr
    mov     x9, xzr
    mov     x10, xzr
    mov     x11, xzr
    mov     x12, xzr
    mov     x13, xzr
    mov     x14, xzr
    mov     x15, xzr
    mov     x16, xzr
    mov     x17, xzr
    mov     x18, xzr
    add     sp, sp, #TF_SIZE
    eret

/*
 * hal_user_resume(frame): a parked thread goes back to user mode from its
 * trap frame, which holds its x19-x28 as well (see el0_svc), and whatever
 * results the kernel wrote into its x0-x7 while it was blocked.
 */
.globl hal_user_resume
hal_user_resume:
    mov     sp, x0
    ldp     x19, x20, [sp, #TF_X19]
    ldp     x21, x22, [sp, #TF_X21]
    ldp     x23, x24, [sp, #TF_X23]
    ldp     x25, x26, [sp, #TF_X25]
    ldp     x27, x28, [sp, #TF_X27]
    b       el0_svc_return

/*
 * A kernel stack overflowed (see vector_entry_stack_checked). On entry
 * sp = interrupted sp + interrupted x0, and
 * x0 = (interrupted sp - TF_SIZE) ^ KSTACK_REGION_BASE.
 *
 * This path never returns: kernel_fault() reports and powers off. So it may
 * park the interrupted sp in SP_EL0 and x0 in TPIDRRO_EL0, registers that
 * belong to user mode, which will not run again. Then it moves to this
 * CPU's emergency stack and joins exception_entry with the kind
 * VEC_KSTACK_OVERFLOW, which takes the interrupted sp from SP_EL0.
 */
kstack_overflow:
    eor     x0, x0, #KSTACK_REGION_BASE
    add     x0, x0, #TF_SIZE                /* x0 = the interrupted sp */
    msr     sp_el0, x0
    sub     x0, sp, x0                      /* x0 = the interrupted x0 */
    msr     tpidrro_el0, x0
    mrs     x0, mpidr_el1
    and     x0, x0, #(EMERGENCY_STACK_CPUS - 1)
    add     x0, x0, #1
    lsl     x0, x0, #EMERGENCY_STACK_SHIFT  /* this CPU's stack top, from emergency_stacks */
    mov     sp, x0
    adrp    x0, emergency_stacks
    add     x0, x0, :lo12:emergency_stacks
    add     sp, sp, x0
    sub     sp, sp, #TF_SIZE
    str     x1, [sp, #(TF_X0 + 8)]
    mrs     x1, tpidrro_el0
    str     x1, [sp, #TF_X0]
    mov     x0, #VEC_KSTACK_OVERFLOW
    b       exception_entry

.section .bss
.balign 16
emergency_stacks:
    .skip   EMERGENCY_STACK_CPUS << EMERGENCY_STACK_SHIFT
