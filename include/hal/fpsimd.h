/*
 * FP/SIMD state for user threads, switched lazily.
 *
 * The kernel itself never touches FP/SIMD registers (it is built with
 * -mgeneral-regs-only), so only user threads have FP state: 32 vector
 * registers of 128 bits plus the status and control registers, 528 bytes.
 * Saving and loading that on every switch would cost every switch, yet most
 * switches in a microkernel go between servers that never use FP. So the
 * registers stay loaded with their "owner"'s values; switching to another
 * thread only makes EL0's next FP instruction trap, and the trap handler
 * (in the architecture code) saves the owner's registers and loads the
 * running thread's.
 */
#ifndef HAL_FPSIMD_H
#define HAL_FPSIMD_H

#include <stdint.h>

struct hal_fpsimd_state {
    uint64_t v[64]; /* q0-q31 as pairs of 64-bit halves */
    uint64_t fpsr;
    uint64_t fpcr;
} __attribute__((aligned(16)));

/* Call on every switch: state is the next thread's (it runs from now on).
 * Inline on the machine (arch/hal_fpsimd.h): it is on every switch's path. */
#ifdef HOST_BUILD
void hal_fpsimd_switch_to(struct hal_fpsimd_state *state);
#else
#include "arch/hal_fpsimd.h"
#endif

/* A thread is gone: its state must not be saved into later. */
void hal_fpsimd_forget(struct hal_fpsimd_state *state);

/* Fresh state for a new thread: all registers zero, default FPCR. */
void hal_fpsimd_init(struct hal_fpsimd_state *state);

/* The core provides: the running thread's state, which the architecture's
 * trap loads into the registers. Only user threads trap. */
struct hal_fpsimd_state *kernel_fpsimd_running(void);

#endif
