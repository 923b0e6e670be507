/*
 * fpu: fills all 32 FP/SIMD registers with a pattern of its own, lets the
 * CPU go to other tasks many times (yielding, then spinning until the timer
 * preempts it), and checks that every register still holds its pattern.
 * Two copies with different seeds prove the kernel keeps each thread's FP
 * state apart. Exits 0 if every register held, 1 if not.
 *
 * The registers are loaded, kept and stored inside single asm blocks: C
 * code between them could legitimately use (and clobber) FP registers.
 */
#include "ulib.h"

#define ROUNDS 8

static uint64_t pattern[64] __attribute__((aligned(16)));
static uint64_t readback[64] __attribute__((aligned(16)));

/* Loads v0-v31 from pattern, yields `yields` times, stores them to readback. */
static void hold_while_yielding(unsigned yields)
{
    register uint64_t x0 __asm__("x0") = (uint64_t)pattern;
    register uint64_t x1 __asm__("x1") = (uint64_t)readback;
    register uint64_t x2 __asm__("x2") = yields;

    __asm__ volatile("mov x9, x0\n\t"
                     "ld1 {v0.2d-v3.2d}, [x9], #64\n\tld1 {v4.2d-v7.2d}, [x9], #64\n\t"
                     "ld1 {v8.2d-v11.2d}, [x9], #64\n\tld1 {v12.2d-v15.2d}, [x9], #64\n\t"
                     "ld1 {v16.2d-v19.2d}, [x9], #64\n\tld1 {v20.2d-v23.2d}, [x9], #64\n\t"
                     "ld1 {v24.2d-v27.2d}, [x9], #64\n\tld1 {v28.2d-v31.2d}, [x9], #64\n\t"
                     "mov x10, x1\n\tmov x11, x2\n\t"
                     "1: cbz x11, 2f\n\t"
                     "mov x8, %[yield]\n\tsvc #0\n\t"
                     "sub x11, x11, #1\n\tb 1b\n\t"
                     "2: st1 {v0.2d-v3.2d}, [x10], #64\n\tst1 {v4.2d-v7.2d}, [x10], #64\n\t"
                     "st1 {v8.2d-v11.2d}, [x10], #64\n\tst1 {v12.2d-v15.2d}, [x10], #64\n\t"
                     "st1 {v16.2d-v19.2d}, [x10], #64\n\tst1 {v20.2d-v23.2d}, [x10], #64\n\t"
                     "st1 {v24.2d-v27.2d}, [x10], #64\n\tst1 {v28.2d-v31.2d}, [x10], #64"
                     : "+r"(x0), "+r"(x1), "+r"(x2)
                     : [yield] "i"(SYS_YIELD)
                     : "x8", "x9", "x10", "x11", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6",
                       "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17",
                       "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28",
                       "v29", "v30", "v31");
}

/* The same, but spinning for `loops` iterations: the timer must preempt us. */
static void hold_while_spinning(uint64_t loops)
{
    register uint64_t x0 __asm__("x0") = (uint64_t)pattern;
    register uint64_t x1 __asm__("x1") = (uint64_t)readback;
    register uint64_t x2 __asm__("x2") = loops;

    __asm__ volatile("mov x9, x0\n\t"
                     "ld1 {v0.2d-v3.2d}, [x9], #64\n\tld1 {v4.2d-v7.2d}, [x9], #64\n\t"
                     "ld1 {v8.2d-v11.2d}, [x9], #64\n\tld1 {v12.2d-v15.2d}, [x9], #64\n\t"
                     "ld1 {v16.2d-v19.2d}, [x9], #64\n\tld1 {v20.2d-v23.2d}, [x9], #64\n\t"
                     "ld1 {v24.2d-v27.2d}, [x9], #64\n\tld1 {v28.2d-v31.2d}, [x9], #64\n\t"
                     "mov x10, x1\n\tmov x11, x2\n\t"
                     "1: subs x11, x11, #1\n\tb.ne 1b\n\t"
                     "st1 {v0.2d-v3.2d}, [x10], #64\n\tst1 {v4.2d-v7.2d}, [x10], #64\n\t"
                     "st1 {v8.2d-v11.2d}, [x10], #64\n\tst1 {v12.2d-v15.2d}, [x10], #64\n\t"
                     "st1 {v16.2d-v19.2d}, [x10], #64\n\tst1 {v20.2d-v23.2d}, [x10], #64\n\t"
                     "st1 {v24.2d-v27.2d}, [x10], #64\n\tst1 {v28.2d-v31.2d}, [x10], #64"
                     : "+r"(x0), "+r"(x1), "+r"(x2)
                     :
                     : "x9", "x10", "x11", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7",
                       "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18",
                       "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29",
                       "v30", "v31");
}

static int check(const char *how, int round, char name)
{
    for (unsigned i = 0; i < 64; i++) {
        if (readback[i] != pattern[i]) {
            printf("fpu %c: register v%u changed while %s (round %d)\n", name, i / 2, how, round);
            return 0;
        }
    }
    return 1;
}

int main(const char *arg, size_t arg_len)
{
    char name = arg_len ? arg[0] : '?';
    uint64_t seed = (uint64_t)name * 0x9e3779b97f4a7c15ULL;

    for (int round = 0; round < ROUNDS; round++) {
        for (unsigned i = 0; i < 64; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            pattern[i] = seed;
        }
        hold_while_yielding(3);
        if (!check("yielding", round, name)) {
            return 1;
        }
        hold_while_spinning(20000000); /* several time slices: the timer preempts us */
        if (!check("preempted", round, name)) {
            return 1;
        }
    }
    printf("fpu %c: all 32 FP/SIMD registers held across %d rounds of yields and preemption\n",
           name, ROUNDS);
    return 0;
}
