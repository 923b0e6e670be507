/*
 * The performance counters, as the benchmarks see them (make bench).
 *
 * Two counters matter:
 *   - the cycle counter, which every CPU with a PMU has;
 *   - an "instructions retired" counter, which may be missing.
 *
 * Under QEMU they mean something particular. With -icount shift=0 QEMU's
 * virtual clock advances exactly one nanosecond per executed instruction and
 * its cycle counter runs at a nominal 1 GHz, so "cycles" are instructions,
 * exactly and repeatably. Without -icount the cycle counter follows the
 * host's clock (noisy) and there is no instruction counter at all.
 * hal_perf_calibrate() lets the caller tell the two apart by measurement
 * rather than by belief (kernel/bench/bench.c decides; docs/benchmarks.md
 * shows what QEMU 7.2 does).
 *
 * arch/aarch64/perf.c is the other half of this file (the ARMv8 PMU:
 * PMCCNTR_EL0 and event counter 0 counting INST_RETIRED).
 */
#ifndef HAL_PERF_H
#define HAL_PERF_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Resets and starts the cycle counter and the instruction counter, counting
 * at every exception level the kernel and user mode run at. Safe to call
 * again (it restarts both from zero).
 */
void hal_perf_init(void);

/* The cycle counter: 64 bits, never wraps in practice. */
uint64_t hal_perf_cycles(void);

/* Whether the CPU says it can count retired instructions at all. */
bool hal_perf_instructions_supported(void);

/* Lets user mode read both counters directly (true), or makes those reads
 * trap again (false). */
void hal_perf_user_access(bool allow);

/*
 * What the counters did around two instruction sequences that differ by
 * exactly span instructions (span "nop"s and nothing else), each read from
 * both counters with the same code. A counter that counts instructions
 * shows: *_long - *_short == span.
 */
struct hal_perf_calibration {
    unsigned span;
    uint64_t cycles_short, cycles_long;
    uint64_t instructions_short, instructions_long;
};

void hal_perf_calibrate(struct hal_perf_calibration *out);

#endif
