/*
 * What user/programs/bench.c (the measuring client) and benchsrv.c (its
 * partner in another address space) agree on.
 *
 * Both read the cycle counter, PMCCNTR_EL0, directly at EL0 (the kernel's
 * bench demo allows that with PMUSERENR_EL0 while they run). Under QEMU
 * -icount shift=0 it counts instructions.
 *
 * The partner's loops are written in assembly, so the user-mode
 * instructions they execute inside a measured window are known exactly;
 * the client subtracts them, and the figures count kernel instructions
 * only.
 */
#ifndef USER_BENCH_PROTO_H
#define USER_BENCH_PROTO_H

#include "ulib.h"

/* Labels of the messages the client sends. */
#define BENCH_LABEL_ECHO 1
#define BENCH_LABEL_QUIT 2

/* Notification bits: the ping, and the request to stop. */
#define BENCH_BIT_PING 1
#define BENCH_BIT_QUIT 2

/* A system call number the kernel does not have: it answers E_NOSYS
 * without running any handler (the null system call). */
#define BENCH_SYS_UNUSED 1000

/* Most samples per figure, as in the kernel's harness (kernel/bench.h). */
#define BENCH_MAX_SAMPLES 4096

/*
 * User instructions the partner runs inside one measured window, from its
 * return out of one system call up to and including the svc of the next
 * (count them in benchsrv.c's assembly):
 *   echo    cbz, lsr, cmp, b.eq, mov, mov, svc                     = 7
 *   notify  tbnz, tbnz, mov, mov, mov, svc (signal),
 *           b, mov, mov, svc (wait)                                = 10
 *   switch  subs, b.ne, mov, svc                                   = 4
 *   pager   cbnz, lsr, cmp, b.eq, add, mov, mov, mov, b, svc      = 10
 * With them subtracted, a figure counts the kernel's instructions only,
 * from each vector entry to each eret, both included.
 */
#define BENCH_ECHO_USER_INSNS   7
#define BENCH_NOTIFY_USER_INSNS 10
#define BENCH_SWITCH_USER_INSNS 4
#define BENCH_PAGER_USER_INSNS  10

/*
 * The echo server's loop, shared by benchsrv (another address space) and
 * bench's own echo thread (the same task): reply_recv with exactly the
 * message that came in, until BENCH_LABEL_QUIT. Its user instructions per
 * round trip are BENCH_ECHO_USER_INSNS.
 */
static inline long echo_loop(long ep, struct umsg *m, long err)
{
    register long x0 __asm__("x0") = err;
    register uint64_t x1 __asm__("x1") = m->info;
    register uint64_t x2 __asm__("x2") = m->w[0];
    register uint64_t x3 __asm__("x3") = m->w[1];
    register uint64_t x4 __asm__("x4") = m->w[2];
    register uint64_t x5 __asm__("x5") = m->w[3];
    register uint64_t x8 __asm__("x8") = SYS_REPLY_RECV;

    /* Reply with exactly what came in: msginfo and words are already in
     * place. The call keeps x19-x29 (include/uapi/syscall.h): the endpoint
     * and the call number live there across it. */
    register long x19 __asm__("x19") = ep;
    register uint64_t x20 __asm__("x20") = SYS_REPLY_RECV;
    __asm__ volatile("    cbnz x0, 2f\n"
                     "1:  lsr  x9, x1, #32\n"
                     "    cmp  x9, #%[quit]\n"
                     "    b.eq 2f\n"
                     "    mov  x0, x19\n"
                     "    mov  x8, x20\n"
                     "    svc  #0\n"
                     "    cbz  x0, 1b\n"
                     "2:\n"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x8)
                     : "r"(x19), "r"(x20), [quit] "i"(BENCH_LABEL_QUIT)
                     : "x6", "x7", SVC_CLOBBERS);
    m->info = x1;
    return x0;
}

#endif
