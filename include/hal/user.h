/*
 * Crossing between the kernel and user mode (EL0 on AArch64).
 *
 * Into user mode: hal_user_enter starts a thread's user code. Back into the
 * kernel: a system call arrives at kernel_syscall() with the saved user
 * registers (an opaque struct trap_frame read and written through the
 * accessors below); a fault arrives at kernel_user_fault() (hal/fault.h),
 * which hands it to the task's fault handler or ends the task; an
 * interrupt arrives at kernel_irq() like one in the kernel.
 */
#ifndef HAL_USER_H
#define HAL_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "uapi/syscall.h"

struct trap_frame;

/*
 * Leaves the kernel for good on this call: resets the kernel stack to
 * kstack_top, then "returns" to EL0 at entry with sp = user_sp, x0 = arg0,
 * x1 = arg1, every other register zero and interrupts enabled. The user
 * address space must already be active.
 */
__attribute__((noreturn)) void hal_user_enter(uint64_t entry, uint64_t user_sp, uint64_t arg0,
                                              uint64_t arg1, void *kstack_top);

/*
 * The system call registers in a saved trap frame, x0-x7 (arguments and
 * results), as static inline functions the architecture provides:
 *   uint64_t hal_syscall_reg(const struct trap_frame *tf, unsigned n);
 *   void hal_syscall_set_reg(struct trap_frame *tf, unsigned n, uint64_t value);
 *   void hal_syscall_copy_message(const struct trap_frame *from,
 *                                 struct trap_frame *to, uint64_t info,
 *                                 uint64_t badge);
 *   void hal_syscall_clear_message_tail(struct trap_frame *to, unsigned words);
 *   void hal_user_set_pc(struct trap_frame *tf, uint64_t pc): where the
 *     thread resumes (a fault handler's answer);
 * The copy is the IPC fast path's, in one call: to's x1 = info, x2-x5
 * = from's x2-x5, and x6 = badge; the second zeroes the message registers
 * x2-x5 from word `words` on.
 */
#include "arch/hal_user.h"

/*
 * The core's system call handler, called by the architecture with
 * interrupts masked, on the calling thread's kernel stack, with the call's
 * number (x8). It returns the result, which the architecture stores in the
 * frame's x0. Then the architecture makes the preemption point every
 * system call ends with: if sched_need_resched (a bool) is set, it calls
 * sched_reschedule(), which may switch threads and returns when this one
 * runs again. Then it returns to user mode from the frame.
 *
 * Before it, the entry tries the fast paths (docs/part5-user-mode.md):
 *   - SYS_CALL and SYS_REPLY_RECV call ipc_fastpath_call(tf) or
 *     ipc_fastpath_reply_recv(tf) (kernel/ipc_fastpath.c) first, with the
 *     parking frame saved; those return only if the call must take the
 *     ordinary way, and then kernel_syscall follows.
 *   - SYS_YIELD is answered by the entry itself when it would not switch:
 *     when (sched_run_queue.ready_bitmap >> sched_current->rq.priority) is
 *     0, no thread of the caller's priority or above is ready, and the
 *     yield only counts itself in accounting_syscalls and returns 0,
 *     without the preemption point: a wake-up sets sched_need_resched
 *     only for a more important thread, which that test sees, and the
 *     timer's tick sets it only inside kernel_irq, whose own preemption
 *     point clears it before the interrupt returns (vectors.S, el0_fast).
 *     These three names, with sched_need_resched and sched_reschedule,
 *     are the contract between the core and that assembly.
 */
long kernel_syscall(struct trap_frame *tf, uint64_t number);

/*
 * Parking. A user thread that blocks in one of the system calls below is
 * parked: nothing of it stays on its kernel stack but its trap frame, and
 * whoever wakes it writes its results (x0, and a message in x1-x6) into
 * that frame; it then goes straight back to user mode. For these calls the
 * entry also saves the registers C would keep by itself (x19-x28).
 */
#define HAL_SYSCALL_PARKING_MASK                                                                   \
    ((1u << SYS_YIELD) | (1u << SYS_SEND) | (1u << SYS_RECV) | (1u << SYS_CALL) |                  \
     (1u << SYS_REPLY_RECV) | (1u << SYS_WAIT))

/* Where a user thread's registers are saved when it enters the kernel: at
 * the top of its kernel stack, whose top is kstack_top. */
struct trap_frame *hal_user_frame(void *kstack_top);

struct hal_context;

/*
 * What every switch makes, inline on the machine (arch/hal_user_switch.h)
 * and plain functions in the host tests:
 *   hal_user_set_thread_pointer: sets the user-readable thread pointer
 *     (TPIDRRO_EL0 on AArch64), where each user thread finds its IPC buffer;
 *   hal_user_switch_tls: saves the register user mode may write as it likes
 *     (TPIDR_EL0, for thread-local storage) to *prev_value and loads
 *     next_value into it. Every thread has its own: left as it was, it
 *     would carry one task's value into another;
 *   hal_context_park: makes ctx resume a parked thread, so that switching to
 *     it returns to user mode from frame (after kernel_after_switch, on its
 *     own stack);
 *   hal_context_is_parked: whether ctx is one hal_context_park made (and no
 *     switch away has saved a real context over it since): then its thread
 *     can be resumed by hal_user_resume directly.
 */
#ifdef HOST_BUILD
void hal_user_set_thread_pointer(uint64_t value);
void hal_user_switch_tls(uint64_t *prev_value, uint64_t next_value);
void hal_context_park(struct hal_context *ctx, struct trap_frame *frame);
bool hal_context_is_parked(const struct hal_context *ctx);
#else
#include "arch/hal_user_switch.h"
#endif

/* Returns to user mode from frame, the trap frame of a parked thread, on
 * that thread's kernel stack. */
__attribute__((noreturn)) void hal_user_resume(struct trap_frame *frame);

/* Whether the CPU has Privileged Access Never, and it is on: then any kernel
 * access to memory user mode can reach faults, so only copies through the
 * checked copies (kernel/umem.c) can work. */
int hal_pan_enabled(void);

#endif
