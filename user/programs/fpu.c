/*
 * fpu: fills all 32 FP/SIMD registers with a pattern of its own, lets the
 * CPU go to other tasks many times (yielding, then spinning until the timer
 * preempts it), and checks that every register still holds its pattern.
 * Two copies with different seeds prove the kernel keeps each thread's FP
 * state apart. Exits 0 if every register held, 1 if not (or if the timer
 * never preempted the spin, which would make the check empty: the kernel
 * counts each thread's preemptions, and SYS_TASK_INFO reports them).
 *
 * The registers are loaded, kept and stored inside single asm blocks: C
 * code between them could legitimately use (and clobber) FP registers.
 */
#include "ulib.h"

#define ROUNDS 8

static uint64_t pattern[64] __attribute__((aligned(16)));
static uint64_t readback[64] __attribute__((aligned(16)));

/* Loads v0-v31 from the address in x19, and stores them to the address in
 * x20: registers a system call keeps (include/uapi/syscall.h). */
#define LOAD_V0_V31                                                                                \
    "ld1 {v0.2d-v3.2d}, [x19], #64\n\tld1 {v4.2d-v7.2d}, [x19], #64\n\t"                           \
    "ld1 {v8.2d-v11.2d}, [x19], #64\n\tld1 {v12.2d-v15.2d}, [x19], #64\n\t"                        \
    "ld1 {v16.2d-v19.2d}, [x19], #64\n\tld1 {v20.2d-v23.2d}, [x19], #64\n\t"                       \
    "ld1 {v24.2d-v27.2d}, [x19], #64\n\tld1 {v28.2d-v31.2d}, [x19], #64\n\t"
#define STORE_V0_V31                                                                               \
    "st1 {v0.2d-v3.2d}, [x20], #64\n\tst1 {v4.2d-v7.2d}, [x20], #64\n\t"                           \
    "st1 {v8.2d-v11.2d}, [x20], #64\n\tst1 {v12.2d-v15.2d}, [x20], #64\n\t"                        \
    "st1 {v16.2d-v19.2d}, [x20], #64\n\tst1 {v20.2d-v23.2d}, [x20], #64\n\t"                       \
    "st1 {v24.2d-v27.2d}, [x20], #64\n\tst1 {v28.2d-v31.2d}, [x20], #64"
#define CLOBBERS_V0_V31                                                                            \
    "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", \
        "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", \
        "v28", "v29", "v30", "v31"

/*
 * Loads v0-v31 from pattern, then either yields `count` times (yield != 0)
 * or spins `count` iterations until the timer preempts it, and stores the
 * registers to readback.
 */
static void hold_registers(uint64_t count, int yield)
{
    register uint64_t x19 __asm__("x19") = (uint64_t)pattern;
    register uint64_t x20 __asm__("x20") = (uint64_t)readback;
    register uint64_t x21 __asm__("x21") = count;
    register uint64_t x22 __asm__("x22") = (uint64_t)yield;

    __asm__ volatile(LOAD_V0_V31 "1: cbz x21, 3f\n\t"
                                 "cbz x22, 2f\n\t"
                                 "mov x8, %[yield]\n\tsvc #0\n\t"
                                 "2: sub x21, x21, #1\n\tb 1b\n\t"
                                 "3: " STORE_V0_V31
                     : "+r"(x19), "+r"(x20), "+r"(x21), "+r"(x22)
                     : [yield] "i"(SYS_YIELD)
                     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", SVC_CLOBBERS,
                       CLOBBERS_V0_V31);
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
        hold_registers(3, 1);
        if (!check("yielding", round, name)) {
            return 1;
        }
        struct task_info before, after;
        sys_task_info(&before);
        hold_registers(20000000, 0); /* several time slices: the timer preempts us */
        sys_task_info(&after);
        if (!check("preempted", round, name)) {
            return 1;
        }
        if (after.preemptions == before.preemptions) {
            /* Then the registers were never at risk: the test proved nothing. */
            printf("fpu %c: the timer never preempted the spin (round %d)\n", name, round);
            return 1;
        }
    }
    printf("fpu %c: all 32 FP/SIMD registers held across %d rounds of yields and preemption\n",
           name, ROUNDS);
    return 0;
}
