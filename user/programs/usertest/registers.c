/*
 * usertest: the registers a thread gets back after the kernel took the CPU
 * from it (see usertest.h). fastpath.c checks them after a call, on both
 * IPC paths; here, after an interrupt that switched threads in the middle
 * of user code, and after each system call that parks its thread.
 */
#include "usertest.h"

/* ---- an interrupt in the middle of user code ---- */

static volatile uint64_t ticks; /* the other thread's progress */
static volatile int ticker_stop;
static char ticker_stack[4096] __attribute__((aligned(16)));

static void ticker(void *arg)
{
    (void)arg;
    while (!ticker_stop) {
        ticks++;
    }
}

/* xN's pattern: N in the low half-word and in the top one, so that a
 * register restored from the wrong slot, or only in part, shows. */
#define PATTERN(n) (((uint64_t)(0xa500 + (n)) << 48) | (0x100 + (n)))

/* clang-format off */
#define SET(n) "mov x" #n ", #(0x100 + " #n ")\n\tmovk x" #n ", #(0xa500 + " #n "), lsl #48\n\t"
#define SET_X0_TO_X25 \
    SET(0) SET(1) SET(2) SET(3) SET(4) SET(5) SET(6) SET(7) SET(8) SET(9) SET(10) SET(11) \
    SET(12) SET(13) SET(14) SET(15) SET(16) SET(17) SET(18) SET(19) SET(20) SET(21) SET(22) \
    SET(23) SET(24) SET(25)
#define SET_CALLEE_SAVED_AND_SOME_TEMPORARIES \
    SET(19) SET(20) SET(21) SET(22) SET(23) SET(24) SET(25) SET(26) SET(27) SET(28) \
    SET(9) SET(13) SET(18)
/* clang-format on */

/*
 * Sets every general register but x26-x28 to its pattern and spins, in
 * user code, until the ticker has moved: with one CPU, it moved because an
 * interrupt switched this thread out in the middle of the loop and back
 * (x27 holds &ticks and x28 the value before; x26 is the loop's scratch).
 * Then stores x0-x30 into regs.
 */
static void spin_through_an_interrupt(uint64_t *regs)
{
    register uint64_t *x0 __asm__("x0") = regs;
    register volatile uint64_t *x1 __asm__("x1") = &ticks;

    /* clang-format off */
    __asm__ volatile("stp x29, x30, [sp, #-32]!\n\t"
                     "stp x19, x20, [sp, #-96]!\n\t"
                     "stp x21, x22, [sp, #16]\n\t"
                     "stp x23, x24, [sp, #32]\n\t"
                     "stp x25, x26, [sp, #48]\n\t"
                     "stp x27, x28, [sp, #64]\n\t"
                     "str x0, [sp, #80]\n\t"
                     "mov x27, x1\n\t"
                     "ldr x28, [x27]\n\t" /* before the patterns: a switch here proves nothing */
                     SET_X0_TO_X25 SET(29) SET(30)
                     "1: ldr x26, [x27]\n\t"
                     "cmp x26, x28\n\t"
                     "b.eq 1b\n\t"
                     "str x0, [sp, #88]\n\t"
                     "ldr x0, [sp, #80]\n\t"
                     "stp x1, x2, [x0, #8]\n\t"
                     "stp x3, x4, [x0, #24]\n\t"
                     "stp x5, x6, [x0, #40]\n\t"
                     "stp x7, x8, [x0, #56]\n\t"
                     "stp x9, x10, [x0, #72]\n\t"
                     "stp x11, x12, [x0, #88]\n\t"
                     "stp x13, x14, [x0, #104]\n\t"
                     "stp x15, x16, [x0, #120]\n\t"
                     "stp x17, x18, [x0, #136]\n\t"
                     "stp x19, x20, [x0, #152]\n\t"
                     "stp x21, x22, [x0, #168]\n\t"
                     "stp x23, x24, [x0, #184]\n\t"
                     "stp x25, x26, [x0, #200]\n\t"
                     "stp x27, x28, [x0, #216]\n\t"
                     "stp x29, x30, [x0, #232]\n\t"
                     "ldr x1, [sp, #88]\n\t"
                     "str x1, [x0]\n\t"
                     "ldp x21, x22, [sp, #16]\n\t"
                     "ldp x23, x24, [sp, #32]\n\t"
                     "ldp x25, x26, [sp, #48]\n\t"
                     "ldp x27, x28, [sp, #64]\n\t"
                     "ldp x19, x20, [sp], #96\n\t"
                     "ldp x29, x30, [sp], #32"
                     : "+r"(x0), "+r"(x1)
                     :
                     : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
                       "x14", "x15", "x16", "x17", "x18", "cc", "memory");
    /* clang-format on */
}

/*
 * A thread interrupted at EL0 and switched out gets back every general
 * register as it left it: x0-x18 included, which no system call keeps,
 * and which only the interrupt's full frame holds. Eight times over, so
 * that the switch falls on different instructions of the loop.
 */
void test_registers_across_an_interrupt(void)
{
    uint64_t regs[31];

    ticks = 0;
    ticker_stop = 0;
    CHECK(thread_create(ticker, NULL, ticker_stack, sizeof(ticker_stack)) > 0);
    for (int round = 0; round < 8; round++) {
        spin_through_an_interrupt(regs);
        for (unsigned n = 0; n <= 30; n++) {
            if (n >= 26 && n <= 28) {
                continue; /* the loop's own */
            }
            if (regs[n] != PATTERN(n)) {
                printf("    # round %d: x%u came back as 0x%llx\n", round, n,
                       (unsigned long long)regs[n]);
                CHECK_EQ(regs[n], PATTERN(n));
            }
        }
        CHECK_EQ(regs[27], (uint64_t)(uintptr_t)&ticks);
        CHECK(regs[26] != regs[28]);
    }
    ticker_stop = 1;
    for (int i = 0; i < 20; i++) {
        sys_yield(); /* let the ticker end */
    }
}

/* ---- every system call that parks its thread ---- */

/* Makes system call nr with x0-x2 as given, x19-x28 and x9-x18 set to
 * patterns; stores x0-x28 after it into regs. */
static void svc_with_patterns(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t *regs)
{
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x8 __asm__("x8") = nr;
    register uint64_t *x30 __asm__("x30") = regs; /* a register the call keeps */

    /* clang-format off */
    __asm__ volatile("stp x19, x20, [sp, #-96]!\n\t"
                     "stp x21, x22, [sp, #16]\n\t"
                     "stp x23, x24, [sp, #32]\n\t"
                     "stp x25, x26, [sp, #48]\n\t"
                     "stp x27, x28, [sp, #64]\n\t"
                     "str x30, [sp, #80]\n\t"
                     SET_CALLEE_SAVED_AND_SOME_TEMPORARIES
                     "svc #0\n\t"
                     "stp x0, x1, [x30, #0]\n\t"
                     "stp x2, x3, [x30, #16]\n\t"
                     "stp x4, x5, [x30, #32]\n\t"
                     "stp x6, x7, [x30, #48]\n\t"
                     "stp x8, x9, [x30, #64]\n\t"
                     "stp x10, x11, [x30, #80]\n\t"
                     "stp x12, x13, [x30, #96]\n\t"
                     "stp x14, x15, [x30, #112]\n\t"
                     "stp x16, x17, [x30, #128]\n\t"
                     "stp x18, x19, [x30, #144]\n\t"
                     "stp x20, x21, [x30, #160]\n\t"
                     "stp x22, x23, [x30, #176]\n\t"
                     "stp x24, x25, [x30, #192]\n\t"
                     "stp x26, x27, [x30, #208]\n\t"
                     "str x28, [x30, #224]\n\t"
                     "ldp x21, x22, [sp, #16]\n\t"
                     "ldp x23, x24, [sp, #32]\n\t"
                     "ldp x25, x26, [sp, #48]\n\t"
                     "ldp x27, x28, [sp, #64]\n\t"
                     "ldr x30, [sp, #80]\n\t"
                     "ldp x19, x20, [sp], #96"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x8), "+r"(x30)
                     :
                     : "x3", "x4", "x5", "x6", "x7", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
                       "x16", "x17", "x18", "cc", "memory");
    /* clang-format on */
}

/* The other side of each parking call, done by a second thread once the
 * test thread has parked. */
enum peer_action { PEER_SIGNAL, PEER_SEND, PEER_RECV, PEER_SPIN, PEER_CALL };

static volatile enum peer_action peer_action;
static volatile long peer_handle;
static volatile int peer_armed, peer_done;
static volatile long peer_result;
static char peer_stack[8192] __attribute__((aligned(16)));

static void peer(void *arg)
{
    uint64_t w[4] = {0x77, 0, 0, 0};
    struct umsg m;

    (void)arg;
    while (!peer_armed) {
        sys_yield();
    }
    for (int i = 0; i < 3; i++) {
        sys_yield(); /* the test thread parks, if it had not yet */
    }
    switch (peer_action) {
    case PEER_SIGNAL:
        peer_result = sys_signal(peer_handle, 0x4);
        break;
    case PEER_SEND:
        peer_result = sys_send(peer_handle, MSGINFO(7, 1), w);
        break;
    case PEER_RECV:
        peer_result = sys_recv(peer_handle, &m);
        if (peer_result == 0 && MSGINFO_LABEL(m.info) != 7) {
            peer_result = -1000;
        }
        break;
    case PEER_SPIN:
        peer_result = 0;
        break;
    case PEER_CALL:
        peer_result = sys_call(peer_handle, MSGINFO(7, 1), w, &m);
        break;
    }
    peer_done = 1;
}

static void start_peer(enum peer_action action, long handle)
{
    peer_action = action;
    peer_handle = handle;
    peer_armed = peer_done = 0;
    peer_result = 1;
    CHECK(thread_create(peer, NULL, peer_stack, sizeof(peer_stack)) > 0);
}

static void end_peer(const char *what)
{
    for (int i = 0; i < 100 && !peer_done; i++) {
        sys_yield();
    }
    if (!peer_done || peer_result != 0) {
        printf("    # %s: the peer thread %s (%ld)\n", what, peer_done ? "failed" : "never ended",
               (long)peer_result);
    }
    CHECK(peer_done);
    CHECK_EQ(peer_result, 0);
    for (int i = 0; i < 20; i++) {
        sys_yield(); /* let it end */
    }
}

/* x19-x28 as the call found them; x9-x18 the pattern or anything else but
 * a kernel address. */
static void check_after_parking(const uint64_t *regs, const char *what)
{
    for (unsigned n = 19; n <= 28; n++) {
        if (regs[n] != PATTERN(n)) {
            printf("    # %s: x%u came back as 0x%llx\n", what, n, (unsigned long long)regs[n]);
            CHECK_EQ(regs[n], PATTERN(n));
        }
    }
    for (unsigned n = 0; n <= 18; n++) {
        if (regs[n] >= 0xffff000000000000ULL && regs[n] < 0xffff900000000000ULL) {
            printf("    # %s: x%u came back as 0x%llx, a kernel address\n", what, n,
                   (unsigned long long)regs[n]);
            CHECK(0);
        }
    }
}

/*
 * Every system call that parks its thread (wait, recv, send, a yield that
 * switches, a reply_recv that has to wait, a call that goes the slow way)
 * resumes it from its trap frame: x19-x28 must come back as they were, and
 * nothing of the kernel's may show in the rest.
 */
void test_callee_saved_registers_across_every_parking_call(void)
{
    long note = sys_notify_create();
    long ep = sys_endpoint_create(0);
    uint64_t regs[29];

    CHECK(note >= 0 && ep >= 0);

    start_peer(PEER_SIGNAL, note);
    peer_armed = 1;
    svc_with_patterns(SYS_WAIT, (uint64_t)note, 0, 0, regs);
    CHECK_EQ(regs[0], 0x4); /* the bits */
    check_after_parking(regs, "wait");
    end_peer("wait");

    start_peer(PEER_SEND, ep);
    peer_armed = 1;
    svc_with_patterns(SYS_RECV, (uint64_t)ep, 0, 0, regs);
    CHECK_EQ(regs[0], 0);
    CHECK_EQ(MSGINFO_LABEL(regs[1]), 7);
    CHECK_EQ(regs[2], 0x77);
    check_after_parking(regs, "recv");
    end_peer("recv");

    start_peer(PEER_RECV, ep);
    peer_armed = 1;
    svc_with_patterns(SYS_SEND, (uint64_t)ep, MSGINFO(7, 1), 0x77, regs);
    CHECK_EQ(regs[0], 0);
    check_after_parking(regs, "send");
    end_peer("send");

    start_peer(PEER_SPIN, 0);
    peer_armed = 1;
    svc_with_patterns(SYS_YIELD, 0, 0, 0, regs);
    check_after_parking(regs, "yield");
    end_peer("yield");

    /* reply_recv with no caller to answer: a receive that waits, for the
     * peer's call; then answer it, so that it ends. */
    start_peer(PEER_CALL, ep);
    peer_armed = 1;
    svc_with_patterns(SYS_REPLY_RECV, (uint64_t)ep, MSGINFO(1, 0), 0, regs);
    CHECK_EQ(regs[0], 0);
    CHECK_EQ(MSGINFO_LABEL(regs[1]), 7);
    check_after_parking(regs, "reply_recv");
    uint64_t w[4] = {0};
    CHECK_EQ(sys_reply(MSGINFO(8, 0), w), 0);
    end_peer("reply_recv");

    sys_handle_close(ep);
    sys_handle_close(note);
}
