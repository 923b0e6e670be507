/*
 * Crossing between the kernel and user mode (EL0 on AArch64).
 *
 * Into user mode: hal_user_enter starts a thread's user code. Back into the
 * kernel: a system call arrives at kernel_syscall() with the saved user
 * registers (an opaque struct trap_frame read and written through the
 * accessors below); a fault arrives at kernel_fault() with from_user set.
 */
#ifndef HAL_USER_H
#define HAL_USER_H

#include <stdint.h>

struct trap_frame;

/*
 * Leaves the kernel for good on this call: resets the kernel stack to
 * kstack_top, then "returns" to EL0 at entry with sp = user_sp, x0 = arg0,
 * x1 = arg1, every other register zero and interrupts enabled. The user
 * address space must already be active.
 */
__attribute__((noreturn)) void hal_user_enter(uint64_t entry, uint64_t user_sp, uint64_t arg0,
                                              uint64_t arg1, void *kstack_top);

/* Sets the user-readable thread pointer (TPIDRRO_EL0 on AArch64): each
 * user thread finds its IPC buffer there. Called on every switch to one. */
void hal_user_set_thread_pointer(uint64_t value);

/* The system call number (x8) and argument or result registers x0-x7. */
uint64_t hal_syscall_number(const struct trap_frame *tf);
uint64_t hal_syscall_reg(const struct trap_frame *tf, unsigned n);
void hal_syscall_set_reg(struct trap_frame *tf, unsigned n, uint64_t value);

/*
 * The IPC fast path's copy, in one call: sets to's x1 = info, x2-x5 = from's
 * x2-x5 for the first `words` words (zero beyond), and x6 = badge.
 */
void hal_syscall_copy_message(const struct trap_frame *from, struct trap_frame *to, uint64_t info,
                              unsigned words, uint64_t badge);

/* The core's system call handler, called by the architecture with
 * interrupts masked, on the calling thread's kernel stack. */
void kernel_syscall(struct trap_frame *tf);

/* Whether the CPU has Privileged Access Never, and it is on: then any kernel
 * access to memory user mode can reach faults, so only copies through the
 * checked copies (kernel/umem.c) can work. */
int hal_pan_enabled(void);

#endif
