/*
 * The architecture's inline half of include/hal/fpsimd.h: what every
 * switch does about FP/SIMD, which is usually nothing.
 */
#ifndef ARCH_HAL_FPSIMD_H
#define ARCH_HAL_FPSIMD_H

#include <stdbool.h>
#include <stdint.h>

#define CPACR_FPEN_EL0_TRAPS (1u << 20)
#define CPACR_FPEN_NONE_TRAP (3u << 20)

struct hal_fpsimd_state;

/* This CPU's FP/SIMD bookkeeping, side by side because a switch reads both. */
struct fpsimd_cpu {
    struct hal_fpsimd_state *owner; /* whose values the registers hold */
    uint64_t el0_access;            /* 1: CPACR_EL1 lets EL0 use them; 0: EL0 traps */
};
extern struct fpsimd_cpu fpsimd_cpu;

static inline void fpsimd_set_el0_access(bool on)
{
    fpsimd_cpu.el0_access = on;
    __asm__ volatile("msr cpacr_el1, %0\n\tisb" ::"r"(
                         (uint64_t)(on ? CPACR_FPEN_NONE_TRAP : CPACR_FPEN_EL0_TRAPS))
                     : "memory");
}

static inline void hal_fpsimd_switch_to(struct hal_fpsimd_state *state)
{
    /* The owner may use the registers as they are; anyone else traps
     * first. So there is something to do only if state is the owner or
     * EL0 has access now; between two threads that both trap, nothing. */
    if (__builtin_expect(state == fpsimd_cpu.owner || fpsimd_cpu.el0_access, 0)) {
        bool owner = state == fpsimd_cpu.owner;
        if (owner != fpsimd_cpu.el0_access) {
            fpsimd_set_el0_access(owner);
        }
    }
}

#endif
