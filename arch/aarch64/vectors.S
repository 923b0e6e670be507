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
 * Most entries save x0/x1, load their kind number (0-15) and branch to
 * exception_entry, which saves the rest of the trap frame (trap_frame.h)
 * and calls arch_exception(frame, kind) in exception.c; exception_return
 * takes them back.
 *
 * The two busiest entries from EL0 take leaner roads, each saving only
 * what its work needs (trap_frame.h lists what each fills):
 *   - a synchronous exception from EL0 looks at the exception class before
 *     it saves anything more. A system call goes to el0_fast (call,
 *     reply_recv, yield) or el0_svc (every other call), which save only
 *     what C does not keep by itself, since the call is allowed to change
 *     x1-x18 (the ABI, include/uapi/syscall.h). A fault or the FP/SIMD trap
 *     goes to exception_entry like the rest.
 *   - an interrupt from EL0 goes to el0_irq, which saves what C does not
 *     keep and calls arch_irq.
 * Both go back through restore_syscall_frame_and_eret (a yield with
 * nothing to switch to, by its own eret at once); a thread that parked in
 * a system call goes back through hal_user_resume.
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

/*
 * A synchronous exception from EL0: a system call, or anything else (a fault,
 * the FP/SIMD trap), told apart by ESR_EL1's exception class. The frame goes
 * at the top of the thread's kernel stack, where sp points while it runs in
 * user mode; x0 and x1 are saved there first, to have two registers to work
 * with. System calls 0-2 (SYSCALL_FAST_LAST) take the fast road, el0_fast.
 */
.macro vector_entry_el0_sync
    .balign 0x80
    stp     x0, x1, [sp, #-TF_SIZE]!        /* sp -= TF_SIZE, then save x0, x1 */
    mrs     x0, esr_el1
    lsr     x0, x0, #ESR_EC_SHIFT
    cmp     x0, #ESR_EC_SVC64
    b.ne    1f
    cmp     x8, #SYSCALL_FAST_LAST
    b.hi    el0_svc
    b       el0_fast
1:  mov     x0, #(VEC_LOWER_A64 + VEC_SYNC)
    b       exception_entry
.endm

/* An interrupt from EL0 takes a lean road too (el0_irq, below). */
.macro vector_entry_el0_irq
    .balign 0x80
    stp     x0, x1, [sp, #-TF_SIZE]!
    b       el0_irq
.endm

.if TF_X0 != 0
.error "the EL0 entries save x0 and x1 at the frame's start"
.endif

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
    vector_entry_el0_irq
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
 * What every system call saves, x0 and x1 being saved already: x2-x5 (the
 * arguments; the results go back there), x29 and x30, SP_EL0, ELR and SPSR,
 * and a frame record {x29, elr} that lets a backtrace continue into the
 * user program. Not saved: x8-x18, which the call may change, and x19-x28,
 * which C keeps by itself, nor x6 and x7, which no call reads (the ABI has
 * six arguments at most). x9-x11 are used up. (el0_irq stores x6-x18
 * itself first, then uses this too.)
 */
.macro save_syscall_frame
    stp     x2, x3, [sp, #TF_X2]
    stp     x4, x5, [sp, #TF_X4]
    mrs     x9, sp_el0
    mrs     x10, elr_el1
    mrs     x11, spsr_el1
    stp     x29, x30, [sp, #TF_X29]
    str     x9, [sp, #TF_SP]
    stp     x10, x11, [sp, #TF_ELR]
    stp     x29, x10, [sp, #TF_FRAME_RECORD]
    add     x29, sp, #TF_FRAME_RECORD
.endm

/* A call that may park the thread (include/hal/user.h) saves x19-x28 too:
 * it may return to user mode from another thread's kernel entry, through
 * hal_user_resume, with nothing of its C frames left. */
.macro save_callee_saved
    stp     x19, x20, [sp, #TF_X19]
    stp     x21, x22, [sp, #TF_X21]
    stp     x23, x24, [sp, #TF_X23]
    stp     x25, x26, [sp, #TF_X25]
    stp     x27, x28, [sp, #TF_X27]
.endm

/*
 * Back to user mode after a system call or an interrupt from EL0, sp at the
 * trap frame: x0-x7 (the results), x29, x30 and the system registers from
 * the frame, and x8-x18 from the frame as well. x19-x28 are as C kept
 * them, or as hal_user_resume just loaded them.
 *
 * The reload of x6-x18 is load-bearing, not tidiness; do not drop it to
 * save instructions. A system call never saves x6-x18, and after the C it
 * ran they hold whatever the kernel left in them: kernel addresses,
 * another task's data. Their slots in the frame hold what the thread's
 * last interrupt or fault saved, the results the kernel wrote (x6, the
 * badge of a message), or the zeros hal_user_enter put there: the
 * thread's own values, never the kernel's or another task's. Reloading
 * them is what keeps kernel values out of user registers (invariant 12
 * in docs/security.md).
 *
 * A macro, not a function, so that no road pays a call to reach it:
 * el0_irq and hal_user_resume each have their own copy, and the system
 * calls share one at el0_svc_return, which el0_svc falls into and el0_fast
 * branches to.
 */
.macro restore_syscall_frame_and_eret
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
    ldp     x8, x9, [sp, #TF_X8]
    ldp     x10, x11, [sp, #TF_X10]
    ldp     x12, x13, [sp, #TF_X12]
    ldp     x14, x15, [sp, #TF_X14]
    ldp     x16, x17, [sp, #TF_X16]
    ldr     x18, [sp, #TF_X18]
    add     sp, sp, #TF_SIZE
    eret
.endm

/*
 * After kernel_syscall: its result into the frame's x0, then the
 * preemption point every system call ends with (a thread the call woke, or
 * the end of the slice), when the core has asked for one. The test of
 * sched_need_resched is made here, three instructions, rather than in a
 * call that would almost always find nothing to do.
 */
.macro syscall_finish
    str     x0, [sp, #TF_X0]
    adrp    x9, sched_need_resched
    ldrb    w9, [x9, :lo12:sched_need_resched]
    cbz     w9, 9f
    bl      sched_reschedule
9:
.endm

/*
 * el0_fast: call, reply_recv or yield (x8 <= SYSCALL_FAST_LAST).
 *
 * A yield first asks whether it would switch at all: not if no thread of
 * the caller's priority or above is ready (the same test as
 * sched_yield_parked's). Then it is over before anything is saved: count
 * it, answer 0, eret. The core's scheduler state it reads is described in
 * include/hal/user.h; interrupts are masked, so it cannot change meanwhile.
 *
 * That early eret skips syscall_finish's preemption point. It may: a
 * wake-up sets sched_need_resched only for a thread more important than
 * the one running, which the bitmap test sees for itself; and the timer's
 * tick sets it at the end of a slice, leaving the timer unarmed for the
 * preemption point to arm again, only inside kernel_irq, which makes that
 * preemption point itself after the end of interrupt (kernel/irq.c), so
 * that flag never reaches EL0. Should kernel_irq stop doing so, el0_yield
 * must test sched_need_resched too.
 *
 * call and reply_recv save the parking frame and try their fast path in C
 * (kernel/ipc_fastpath.c), which does not come back if it applies. If it
 * comes back, the call goes the ordinary way, through kernel_syscall.
 */
.if SYS_CALL != 0 || SYS_REPLY_RECV != 1 || SYS_YIELD != 2
.error "el0_fast tells the three calls apart by the bits of their numbers"
.endif
el0_fast:
    tbnz    x8, #1, el0_yield
    save_syscall_frame
    save_callee_saved
    mov     x0, sp
    tbnz    x8, #0, 1f
    bl      ipc_fastpath_call
    mov     x1, #SYS_CALL
    b       2f
1:  bl      ipc_fastpath_reply_recv
    mov     x1, #SYS_REPLY_RECV
2:  mov     x0, sp
    bl      kernel_syscall
    syscall_finish
    b       el0_svc_return

el0_yield:
    adrp    x0, sched_current
    ldr     x0, [x0, :lo12:sched_current]
    ldr     w0, [x0, #THREAD_PRIORITY]
    adrp    x1, sched_run_queue + RQ_READY_BITMAP
    ldr     w1, [x1, :lo12:(sched_run_queue + RQ_READY_BITMAP)]
    lsr     w1, w1, w0                      /* the ready priorities >= ours */
    cbnz    w1, 1f                          /* one of them: a real switch */
    adrp    x0, accounting_syscalls
    ldr     x1, [x0, :lo12:accounting_syscalls]
    add     x1, x1, #1
    str     x1, [x0, :lo12:accounting_syscalls]
    mov     x0, xzr                         /* yield's result */
    ldr     x1, [sp, #TF_X1]
    add     sp, sp, #TF_SIZE
    eret
1:  save_syscall_frame
    save_callee_saved
    mov     x0, sp
    mov     x1, #SYS_YIELD
    bl      kernel_syscall
    syscall_finish
    b       el0_svc_return

/*
 * el0_irq: an interrupt from user mode, x0 and x1 saved. Like a function
 * call, it saves what C does not keep (x2-x18, x29, x30, and the system
 * registers), not x19-x28: if the interrupt switches threads, the switch
 * saves those where C left them, and they come back the same way. (An
 * interrupted thread is not parked: it resumes through its kernel context,
 * back here.) It stores x6-x18 first, then the rest with
 * save_syscall_frame, which uses x9-x11; the frame record lets a
 * backtrace reach the user program.
 */
el0_irq:
    stp     x6, x7, [sp, #TF_X6]
    stp     x8, x9, [sp, #TF_X8]
    stp     x10, x11, [sp, #TF_X10]
    stp     x12, x13, [sp, #TF_X12]
    stp     x14, x15, [sp, #TF_X14]
    stp     x16, x17, [sp, #TF_X16]
    str     x18, [sp, #TF_X18]
    save_syscall_frame
    bl      arch_irq
    restore_syscall_frame_and_eret

/*
 * el0_svc: every other system call; x0 and x1 are saved, x8 holds its
 * number. x19-x28 are saved only for the calls that may park the thread:
 * a bit test in SYSCALL_PARKING_MASK (by x8 mod 64, so a huge number at
 * worst saves more than it needs).
 */
el0_svc:
    save_syscall_frame
    mov     x9, #SYSCALL_PARKING_MASK
    lsr     x9, x9, x8
    tbz     x9, #0, 1f
    save_callee_saved
1:  mov     x0, sp
    mov     x1, x8
    bl      kernel_syscall
    syscall_finish
    /* falls through: the one copy of the system call exit */
el0_svc_return:
    restore_syscall_frame_and_eret

/*
 * hal_user_resume(frame): a parked thread goes back to user mode from its
 * trap frame, on its own kernel stack (whose top the frame is): x19-x28
 * from the frame, then the rest as above.
 */
.globl hal_user_resume
hal_user_resume:
    mov     sp, x0
    ldp     x19, x20, [sp, #TF_X19]
    ldp     x21, x22, [sp, #TF_X21]
    ldp     x23, x24, [sp, #TF_X23]
    ldp     x25, x26, [sp, #TF_X25]
    ldp     x27, x28, [sp, #TF_X27]
    restore_syscall_frame_and_eret

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
    str     x1, [sp, #TF_X1]
    mrs     x1, tpidrro_el0
    str     x1, [sp, #TF_X0]
    mov     x0, #VEC_KSTACK_OVERFLOW
    b       exception_entry

.section .bss
.balign 16
emergency_stacks:
    .skip   EMERGENCY_STACK_CPUS << EMERGENCY_STACK_SHIFT
