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
 * One entry does more: a synchronous exception from the kernel itself first
 * checks that its frame will not land in the guard of a kernel stack
 * (include/kernel/kstack.h). If it would, the stack has overflowed, and
 * pushing the frame would only fault again, forever; it moves to a per-CPU
 * emergency stack instead (kstack_overflow, below).
 */
#include "arch/trap_frame.h"
#include "kernel/kstack.h"

/* The emergency stacks: one per CPU, indexed by MPIDR_EL1.Aff0. */
#define EMERGENCY_STACK_SHIFT 13 /* 8 KiB: enough for kernel_fault's report */
#define EMERGENCY_STACK_CPUS 8

.macro vector_entry kind
    .balign 0x80
    sub     sp, sp, #TF_SIZE
    stp     x0, x1, [sp, #0]
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
    stp     x0, x1, [sp, #0]
    mov     x0, #\kind
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
    vector_entry (VEC_LOWER_A64 + VEC_SYNC)
    vector_entry (VEC_LOWER_A64 + VEC_IRQ)
    vector_entry (VEC_LOWER_A64 + VEC_FIQ)
    vector_entry (VEC_LOWER_A64 + VEC_SERROR)
    vector_entry (VEC_LOWER_A32 + VEC_SYNC)
    vector_entry (VEC_LOWER_A32 + VEC_IRQ)
    vector_entry (VEC_LOWER_A32 + VEC_FIQ)
    vector_entry (VEC_LOWER_A32 + VEC_SERROR)

/* x0 = kind; the interrupted x0 and x1 are already at [sp]. */
exception_entry:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    str     x30, [sp, #240]

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
2:  ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldr     x30, [sp, #240]
    add     sp, sp, #TF_SIZE
    eret

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
    str     x1, [sp, #8]
    mrs     x1, tpidrro_el0
    str     x1, [sp, #0]
    mov     x0, #VEC_KSTACK_OVERFLOW
    b       exception_entry

.section .bss
.balign 16
emergency_stacks:
    .skip   EMERGENCY_STACK_CPUS << EMERGENCY_STACK_SHIFT
