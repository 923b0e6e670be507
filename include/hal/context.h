/*
 * Saving and restoring a kernel thread's CPU state. The core treats the
 * saved state as an opaque block; the architecture decides what goes in it
 * (on AArch64: the callee-saved registers x19-x29, the link register and the
 * stack pointer, see arch/aarch64/context_switch.S). Everything else the C calling
 * convention already saved on the thread's own stack before the call.
 */
#ifndef HAL_CONTEXT_H
#define HAL_CONTEXT_H

#include <stddef.h>
#include <stdint.h>

/* 13 words are used on AArch64; the 14th keeps the block a multiple of 16 bytes. */
#define HAL_CONTEXT_WORDS 14

struct hal_context {
    uint64_t words[HAL_CONTEXT_WORDS];
};

/*
 * Prepares ctx so that switching to it calls entry(arg) on the given stack.
 * entry must never return (the core's thread_bootstrap calls thread_exit).
 */
void hal_context_init(struct hal_context *ctx, void *stack_base, size_t stack_size,
                      void (*entry)(void *), void *arg);

/*
 * Saves the caller's state into from and resumes to. Returns when some
 * other thread switches back to from. Interrupts must be masked.
 */
void hal_context_switch(struct hal_context *from, struct hal_context *to);

/* Resumes to without saving anything: the caller never continues (it exited,
 * or it parked, include/hal/user.h). Interrupts must be masked. */
__attribute__((noreturn)) void hal_context_load(const struct hal_context *to);

/* The core's half of every switch, which the architecture calls on the new
 * thread's stack where the core cannot (a parked thread's resumption). */
void kernel_after_switch(void);

#endif
