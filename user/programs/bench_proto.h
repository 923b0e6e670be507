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
 *   echo    cbz, lsr, cmp, b.eq, mov, svc                          = 6
 *   notify  tbnz, tbnz, mov, mov, mov, svc (signal),
 *           b, mov, mov, svc (wait)                                = 10
 *   switch  subs, b.ne, mov, svc                                   = 4
 * With them subtracted, a figure counts the kernel's instructions only,
 * from each vector entry to each eret, both included.
 */
#define BENCH_ECHO_USER_INSNS   6
#define BENCH_NOTIFY_USER_INSNS 10
#define BENCH_SWITCH_USER_INSNS 4

#endif
