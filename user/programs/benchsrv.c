/*
 * benchsrv: the other end of user/programs/bench.c's measurements, in a
 * second address space; and the small task the kernel's benchmarks spawn.
 *
 *   echo          handle 0 is an endpoint: answer every call with its own
 *                 message (label, length, words, IPC buffer) until
 *                 BENCH_LABEL_QUIT
 *   stamp         the same, but the answer's words 0 and 1 are the cycle
 *                 counter right after the receive returned and right before
 *                 the reply's svc, so the client can split the round trip
 *   notify        handles 0 and 1 are notifications: wait on 0, signal 1,
 *                 until a wait returns BENCH_BIT_QUIT
 *   switch N      yield N times
 *   pager         handle 0 is its client's fault endpoint: answer every
 *                 fault with FAULT_RESUME at the next instruction (the
 *                 client's faulting load is skipped), until BENCH_LABEL_QUIT
 *   exit          exit at once (spawn + exit costs)
 *   fault         store to a null pointer at once (fault-to-kill costs)
 *
 * The loops are assembly so that the user instructions between two system
 * calls are exactly the ones bench_proto.h counts.
 */
#include "bench_proto.h"
#include "lib/bench_stats.h"
#include "ulib.h"

static long stamp_loop(struct umsg *m, long err)
{
    register long x0 __asm__("x0") = err;
    register uint64_t x1 __asm__("x1") = m->info;
    register uint64_t x2 __asm__("x2") = 0;
    register uint64_t x3 __asm__("x3") = 0;
    register uint64_t x4 __asm__("x4") = 0;
    register uint64_t x5 __asm__("x5") = 0;
    register uint64_t x8 __asm__("x8") = 0;

    /* Word 0 of each answer: when the call arrived; word 1: when the answer left. */
    __asm__ volatile("    mov  x9, #0\n"
                     "    b    2f\n"
                     "1:  mov  x8, #%[reply_recv]\n"
                     "    mrs  x3, pmccntr_el0\n"
                     "    svc  #0\n"
                     "    mrs  x9, pmccntr_el0\n"
                     "2:  cbnz x0, 3f\n"
                     "    lsr  x10, x1, #32\n"
                     "    cmp  x10, #%[quit]\n"
                     "    b.eq 3f\n"
                     "    mov  x2, x9\n"
                     "    mov  x0, #0\n"
                     "    b    1b\n"
                     "3:\n"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x8)
                     : [quit] "i"(BENCH_LABEL_QUIT), [reply_recv] "i"(SYS_REPLY_RECV)
                     : "x6", "x7", SVC_CLOBBERS);
    m->info = x1;
    return x0;
}

static int serve(int stamp)
{
    struct umsg m;
    long err = sys_recv(0, &m);

    err = stamp ? stamp_loop(&m, err) : echo_loop(0, &m, err);
    if (err != 0) {
        return 1;
    }
    sys_reply(MSGINFO(BENCH_LABEL_QUIT, 0), NULL); /* the client waits for this */
    return 0;
}

static int notify_loop(void)
{
    long bits;

    __asm__ volatile("1:  mov  x0, #0\n"
                     "    mov  x8, #%[wait]\n"
                     "    svc  #0\n"
                     "    tbnz x0, #63, 2f\n"
                     "    tbnz x0, #1, 2f\n"
                     "    mov  x0, #1\n"
                     "    mov  x1, #%[ping]\n"
                     "    mov  x8, #%[signal]\n"
                     "    svc  #0\n"
                     "    b    1b\n"
                     "2:  mov  %[bits], x0\n"
                     : [bits] "=r"(bits)
                     : [wait] "i"(SYS_WAIT), [signal] "i"(SYS_SIGNAL), [ping] "i"(BENCH_BIT_PING)
                     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", SVC_CLOBBERS);
    return bits == BENCH_BIT_QUIT ? 0 : 1;
}

static void switch_loop(uint64_t count)
{
    register uint64_t x19 __asm__("x19") = count;

    if (count == 0) {
        return;
    }
    __asm__ volatile("1:  mov  x8, #%[yield]\n"
                     "    svc  #0\n"
                     "    subs x19, x19, #1\n"
                     "    b.ne 1b\n"
                     : "+r"(x19)
                     : [yield] "i"(SYS_YIELD)
                     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", SVC_CLOBBERS);
}

/* The fault handler's loop: each fault is answered "resume at pc + 4". */
static int pager_loop(void)
{
    struct umsg m;
    long err = sys_recv(0, &m);
    register long x0 __asm__("x0") = err;
    register uint64_t x1 __asm__("x1") = m.info;
    register uint64_t x4 __asm__("x4") = m.w[2]; /* the faulting pc */
    register long x19 __asm__("x19") = 0;        /* the endpoint */
    register uint64_t x20 __asm__("x20") = SYS_REPLY_RECV;

    __asm__ volatile("    b    2f\n"
                     "1:  svc  #0\n"
                     "2:  cbnz x0, 3f\n"
                     "    lsr  x9, x1, #32\n"
                     "    cmp  x9, #%[quit]\n"
                     "    b.eq 3f\n"
                     "    add  x2, x4, #4\n"
                     "    mov  x1, #1\n" /* FAULT_RESUME, one word: the pc */
                     "    mov  x0, x19\n"
                     "    mov  x8, x20\n"
                     "    b    1b\n"
                     "3:\n"
                     : "+r"(x0), "+r"(x1), "+r"(x4)
                     : "r"(x19), "r"(x20), [quit] "i"(BENCH_LABEL_QUIT)
                     : "x2", "x3", "x5", "x6", "x7", "x8", SVC_CLOBBERS);
    if (x0 != 0) {
        return 1;
    }
    sys_reply(MSGINFO(BENCH_LABEL_QUIT, 0), NULL); /* the client waits for this */
    return 0;
}

/* Not "static": the compiler must not see that the pointer is bad. */
volatile uintptr_t benchsrv_null = 0;

static int is(const char *arg, size_t len, const char *word)
{
    return len == strlen(word) && memcmp(arg, word, len) == 0;
}

int main(const char *arg, size_t arg_len)
{
    size_t word = 0;

    while (word < arg_len && arg[word] != ' ') {
        word++;
    }
    if (is(arg, word, "exit")) {
        return 0;
    }
    if (is(arg, word, "fault")) {
        *(volatile uint64_t *)benchsrv_null = 1;
        return 1;
    }
    if (is(arg, word, "echo") || is(arg, word, "stamp")) {
        return serve(is(arg, word, "stamp"));
    }
    if (is(arg, word, "notify")) {
        return notify_loop();
    }
    if (is(arg, word, "pager")) {
        return pager_loop();
    }
    uint64_t count;
    if (is(arg, word, "switch") && word < arg_len &&
        bench_parse_u64(arg + word + 1, arg_len - word - 1, &count)) {
        switch_loop(count);
        return 0;
    }
    printf("benchsrv: unknown mode '%.*s'\n", (int)arg_len, arg);
    return 2;
}
