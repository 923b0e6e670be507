/*
 * usertest: the IPC fast path against the slow path (see usertest.h).
 *
 * kernel/ipc_fastpath.c takes call and reply_recv past a column of checks;
 * each case here makes one of those checks fail, so that the same exchange
 * takes the slow path, the reference, and checks that both give the same
 * answer: message, badge, result, registers, FP/SIMD state, and a fair
 * share of the CPU for everyone else. SYS_KERNEL_COUNTS's ipc_fastpath
 * tells which path each exchange took.
 */
#include "usertest.h"

#define LABEL_QUIT 3 /* echo's */

uint64_t fastpath_count(void)
{
    struct kernel_counts c;

    sys_kernel_counts(&c);
    return c.ipc_fastpath;
}

/* One call to the echo server on ep with len words; checks the answer (the
 * same label and length, every word plus one) and the badge; returns how
 * many of the two halves (call, reply_recv) took the fast path. */
static uint64_t echo_once(long ep, uint32_t len, uint64_t badge)
{
    uint64_t w[4];
    struct umsg reply;

    for (unsigned i = 0; i < 4; i++) {
        w[i] = 1000 * len + i;
    }
    for (unsigned i = 4; i < len; i++) {
        ipc_buffer()[i] = 1000 * len + i;
    }
    uint64_t before = fastpath_count();
    CHECK_EQ(sys_call(ep, MSGINFO(20 + len, len), w, &reply), 0);
    uint64_t fast = fastpath_count() - before;
    CHECK_EQ(MSGINFO_LABEL(reply.info), 20 + len);
    CHECK_EQ(MSGINFO_LENGTH(reply.info), len);
    CHECK(!MSGINFO_HAS_HANDLE(reply.info));
    if (badge) {
        CHECK_EQ(reply.badge, badge);
    }
    for (unsigned i = 0; i < 4; i++) {
        CHECK_EQ(reply.w[i], i < len ? 1000 * len + i + 1 : 0);
    }
    for (unsigned i = 4; i < len; i++) {
        CHECK_EQ(ipc_buffer()[i], 1000 * len + i + 1);
    }
    return fast;
}

static void stop_echo(long ep, long echo)
{
    struct umsg reply;

    CHECK_EQ(sys_call(ep, MSGINFO(LABEL_QUIT, 0), NULL, &reply), 0);
    CHECK_EQ(sys_task_wait(echo), 0);
    sys_handle_close(echo);
}

/* Every length, over a rendezvous endpoint (the fast path, both halves) and
 * over a mailbox (depth != 0: the slow path, both halves): the same
 * answers. The badge is the server's task id either way. */
void test_fast_path_and_mailbox_agree(void)
{
    static const uint32_t lengths[] = {0, 1, 3, 4, 5, 10, IPC_MAX_WORDS};
    long rendezvous = sys_endpoint_create(0);
    long mailbox = sys_endpoint_create(1);
    long echo_fast = usertest_spawn_echo(rendezvous);
    long echo_slow = usertest_spawn_echo(mailbox);
    uint64_t badge_fast = 0, badge_slow = 0;
    struct umsg reply;

    CHECK(echo_fast >= 0 && echo_slow >= 0);
    /* Learn each server's badge from a first exchange. */
    CHECK_EQ(sys_call(rendezvous, MSGINFO(1, 0), NULL, &reply), 0);
    badge_fast = reply.badge;
    CHECK_EQ(sys_call(mailbox, MSGINFO(1, 0), NULL, &reply), 0);
    badge_slow = reply.badge;
    CHECK(badge_fast != 0 && badge_slow != 0 && badge_fast != badge_slow);
    for (unsigned k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
        CHECK_EQ(echo_once(rendezvous, lengths[k], badge_fast), 2);
        CHECK_EQ(echo_once(mailbox, lengths[k], badge_slow), 0);
    }
    stop_echo(rendezvous, echo_fast);
    stop_echo(mailbox, echo_slow);
    sys_handle_close(rendezvous);
    sys_handle_close(mailbox);
}

/* Conditions on the caller's side: a handle in the message, a bad handle,
 * a message too long. Each goes the slow way, with the slow way's answer. */
void test_fast_path_leaves_the_odd_calls_to_the_slow_path(void)
{
    long ep = sys_endpoint_create(0);
    long echo = usertest_spawn_echo(ep);
    long passenger = sys_notify_create();
    uint64_t w[4] = {7, 8, 9, 10};
    struct umsg reply;

    CHECK(echo >= 0 && passenger >= 0);
    uint64_t before = fastpath_count();
    CHECK_EQ(sys_call(77, MSGINFO(5, 1), w, &reply), E_BADHANDLE);
    CHECK_EQ(sys_call(passenger, MSGINFO(5, 1), w, &reply), E_BADHANDLE); /* not an endpoint */
    CHECK_EQ(sys_call(ep, MSGINFO(5, IPC_MAX_WORDS + 1), w, &reply), E_INVAL);
    CHECK_EQ(fastpath_count() - before, 0);
    /* A handle rides along (echo keeps it): the call goes the slow way,
     * echo's answer, which carries none, the fast way; the words are the
     * same as without it. */
    before = fastpath_count();
    CHECK_EQ(sys_call(ep, MSGINFO_WITH_HANDLE(5, 2, passenger), w, &reply), 0);
    CHECK_EQ(fastpath_count() - before, 1);
    CHECK_EQ(MSGINFO_LABEL(reply.info), 5);
    CHECK_EQ(MSGINFO_LENGTH(reply.info), 2);
    CHECK(!MSGINFO_HAS_HANDLE(reply.info));
    CHECK_EQ(reply.w[0], 8);
    CHECK_EQ(reply.w[1], 9);
    CHECK_EQ(reply.w[2], 0);
    /* And the same call without it goes fast, with the same words. */
    before = fastpath_count();
    CHECK_EQ(sys_call(ep, MSGINFO(5, 2), w, &reply), 0);
    CHECK_EQ(fastpath_count() - before, 2);
    CHECK_EQ(reply.w[0], 8);
    CHECK_EQ(reply.w[1], 9);
    CHECK_EQ(reply.w[2], 0);
    stop_echo(ep, echo);
    sys_handle_close(passenger);
    sys_handle_close(ep);
}

/* ---- a server that does not take the next call at once ---- */

enum { LABEL_FIRST = 41, LABEL_SECOND = 42, LABEL_OTHER = 43 };

/* Yields until *flag is set, then once more: a thread that set it just
 * before a system call that blocks has made that call by then (were it
 * preempted in between, it is ahead of us in the run queue). */
static void yield_until(volatile int *flag)
{
    while (!*flag) {
        sys_yield();
    }
    sys_yield();
}

static long two_ep, two_go;
static volatile int two_receiving, two_second_calling, two_second_done;
static volatile long two_second_result;
static volatile uint64_t two_second_answer, two_first_reply_fast, two_call_fast, two_before;
static volatile uint32_t two_labels[4];
static volatile unsigned two_served;
static char two_server_stack[8192] __attribute__((aligned(16)));
static char two_caller_stack[8192] __attribute__((aligned(16)));

/* Answers each call with its word plus one. After taking LABEL_FIRST, it
 * lets the second caller go and waits until that one has called, and
 * queued: its reply_recv then finds a sender waiting. */
static void two_server(void *arg)
{
    uint64_t w[4] = {0};
    struct umsg m;

    (void)arg;
    two_receiving = 1;
    long err = sys_recv(two_ep, &m);
    while (err == 0 && two_served < 4) {
        uint32_t label = MSGINFO_LABEL(m.info);
        two_labels[two_served++] = label;
        if (label == LABEL_QUIT) {
            break;
        }
        w[0] = m.w[0] + 1;
        if (label != LABEL_FIRST) {
            err = sys_reply_recv(two_ep, MSGINFO(label, 1), w, &m);
            continue;
        }
        two_call_fast = fastpath_count() - two_before;
        sys_signal(two_go, 1);
        yield_until(&two_second_calling);
        uint64_t before = fastpath_count();
        err = sys_reply_recv(two_ep, MSGINFO(label, 1), w, &m);
        two_first_reply_fast = fastpath_count() - before;
    }
    sys_reply(MSGINFO(LABEL_QUIT, 0), w);
}

static void second_caller(void *arg)
{
    uint64_t w[4] = {200, 0, 0, 0};
    struct umsg reply;

    (void)arg;
    sys_wait(two_go);
    two_second_calling = 1;
    two_second_result = sys_call(two_ep, MSGINFO(LABEL_SECOND, 1), w, &reply);
    two_second_answer = MSGINFO_LABEL(reply.info) == LABEL_SECOND ? reply.w[0] : 0;
    two_second_done = 1;
}

/*
 * Two callers, and the second calls while the server is busy with the
 * first: it queues on the endpoint. The first call goes fast; the server's
 * reply_recv finds the second caller waiting, so it may not block: it
 * takes the slow path, which answers the first caller and takes the second
 * call at once. Then the answer to the second goes fast. Were the server
 * to block instead, the second caller would wait for ever, its message
 * left on the endpoint for anyone to receive: the test receives it itself,
 * answers it, and fails.
 */
void test_fast_path_with_a_queued_sender(void)
{
    uint64_t w[4] = {100, 0, 0, 0};
    struct umsg reply, m;

    two_ep = sys_endpoint_create(0);
    two_go = sys_notify_create();
    CHECK(two_ep >= 0 && two_go >= 0);
    two_receiving = two_second_calling = two_second_done = 0;
    two_second_result = 1;
    two_second_answer = two_first_reply_fast = two_call_fast = 0;
    two_served = 0;
    CHECK(thread_create(two_server, NULL, two_server_stack, sizeof(two_server_stack)) > 0);
    yield_until(&two_receiving);
    CHECK(thread_create(second_caller, NULL, two_caller_stack, sizeof(two_caller_stack)) > 0);

    two_before = fastpath_count();
    CHECK_EQ(sys_call(two_ep, MSGINFO(LABEL_FIRST, 1), w, &reply), 0);
    CHECK_EQ(MSGINFO_LABEL(reply.info), LABEL_FIRST);
    CHECK_EQ(reply.w[0], 101);
    CHECK_EQ(two_call_fast, 1);        /* the first call went fast */
    CHECK_EQ(two_first_reply_fast, 0); /* its answer did not: a sender waited */
    /* The server took the second call with that same reply_recv. */
    long taken = sys_try_recv(two_ep, &m);
    CHECK_EQ(taken, E_EMPTY);
    if (taken == 0) {
        w[0] = m.w[0] + 1; /* answer for the server, so that the caller ends */
        sys_reply(MSGINFO(MSGINFO_LABEL(m.info), 1), w);
    }
    for (int i = 0; i < 1000 && !two_second_done; i++) {
        sys_yield();
    }
    CHECK(two_second_done);
    CHECK_EQ(two_second_result, 0);
    CHECK_EQ(two_second_answer, 201);
    CHECK_EQ(fastpath_count() - two_before, 2); /* the first call, the second answer */
    CHECK_EQ(sys_call(two_ep, MSGINFO(LABEL_QUIT, 0), NULL, &reply), 0);
    CHECK_EQ(two_served, 3);
    CHECK_EQ(two_labels[0], LABEL_FIRST);
    CHECK_EQ(two_labels[1], LABEL_SECOND);
    CHECK_EQ(two_labels[2], LABEL_QUIT);
    for (int i = 0; i < 50; i++) {
        sys_yield(); /* let both threads end */
    }
    sys_handle_close(two_go);
    sys_handle_close(two_ep);
}

static volatile int owed_in_second_recv, owed_other_done;
static volatile long owed_other_result;

/* Takes one call and, without answering it, receives again: the next call
 * it answers, then it ends. */
static void forgetful_server(void *arg)
{
    uint64_t w[4] = {0};
    struct umsg m;

    (void)arg;
    two_receiving = 1;
    if (sys_recv(two_ep, &m) != 0) {
        return;
    }
    two_labels[two_served++] = MSGINFO_LABEL(m.info);
    owed_in_second_recv = 1;
    if (sys_recv(two_ep, &m) != 0) {
        return;
    }
    two_labels[two_served++] = MSGINFO_LABEL(m.info);
    w[0] = m.w[0] + 1;
    sys_reply(MSGINFO(MSGINFO_LABEL(m.info), 1), w);
}

static void forgotten_caller(void *arg)
{
    uint64_t w[4] = {300, 0, 0, 0};
    struct umsg reply;

    (void)arg;
    owed_other_result = sys_call(two_ep, MSGINFO(LABEL_OTHER, 1), w, &reply);
    owed_other_done = 1;
}

/*
 * A server takes a call (the fast way), then receives again while it still
 * owes that reply. A receive that blocks drops the right to reply first
 * (ipc_recv_common): the forgotten caller wakes with E_DEAD, at once,
 * rather than wait for ever. The next call then finds a server that owes
 * nothing, and goes fast (ipc_fastpath_call's check of reply_to guards
 * against a waiting server that still owes one, which no path makes
 * today); it is answered as any other.
 */
void test_fast_path_after_a_server_forgets_a_caller(void)
{
    uint64_t w[4] = {400, 0, 0, 0};
    struct umsg reply;

    two_ep = sys_endpoint_create(0);
    CHECK(two_ep >= 0);
    two_receiving = owed_in_second_recv = owed_other_done = 0;
    owed_other_result = 1;
    two_served = 0;
    CHECK(thread_create(forgetful_server, NULL, two_server_stack, sizeof(two_server_stack)) > 0);
    yield_until(&two_receiving);
    uint64_t before = fastpath_count();
    CHECK(thread_create(forgotten_caller, NULL, two_caller_stack, sizeof(two_caller_stack)) > 0);
    yield_until(&owed_in_second_recv);      /* the server took that call, and receives again */
    CHECK_EQ(fastpath_count() - before, 1); /* that call went fast */
    for (int i = 0; i < 100 && !owed_other_done; i++) {
        sys_yield(); /* the forgotten caller is awake, and runs */
    }
    CHECK(owed_other_done);
    CHECK_EQ(owed_other_result, E_DEAD);

    before = fastpath_count();
    CHECK_EQ(sys_call(two_ep, MSGINFO(LABEL_SECOND, 1), w, &reply), 0);
    CHECK_EQ(fastpath_count() - before, 1); /* the call fast, the plain reply slow */
    CHECK_EQ(MSGINFO_LABEL(reply.info), LABEL_SECOND);
    CHECK_EQ(reply.w[0], 401);
    CHECK_EQ(two_served, 2);
    CHECK_EQ(two_labels[0], LABEL_OTHER);
    CHECK_EQ(two_labels[1], LABEL_SECOND);
    for (int i = 0; i < 50; i++) {
        sys_yield(); /* let both threads end */
    }
    sys_handle_close(two_ep);
}

/* ---- registers: kept where the ABI says, and never the kernel's ---- */

/* An address in the kernel's half that it uses: its image and linear map
 * (from 0xffff000000000000) or its stacks (from 0xffff800000000000). (A
 * small negative number is not one: the thread's own values may be.) */
static int kernel_address(uint64_t v)
{
    return v >= 0xffff000000000000ULL && v < 0xffff900000000000ULL;
}

/* One call with x19-x28 and x9-x18 set to patterns; stores every register
 * after it into regs[0..30]. */
static void call_with_patterns(long ep, uint64_t *regs)
{
    register long x0 __asm__("x0") = ep;
    register uint64_t x1 __asm__("x1") = MSGINFO(21, 1);
    register uint64_t x2 __asm__("x2") = 1000 + 0;
    register uint64_t x8 __asm__("x8") = SYS_CALL;
    register uint64_t *x29 __asm__("x30") = regs; /* a register the call keeps */

    __asm__ volatile("stp x19, x20, [sp, #-96]!\n\t"
                     "stp x21, x22, [sp, #16]\n\t"
                     "stp x23, x24, [sp, #32]\n\t"
                     "stp x25, x26, [sp, #48]\n\t"
                     "stp x27, x28, [sp, #64]\n\t"
                     "str x30, [sp, #80]\n\t"
                     "mov x19, #0x1919\n\tmov x20, #0x2020\n\tmov x21, #0x2121\n\t"
                     "mov x22, #0x2222\n\tmov x23, #0x2323\n\tmov x24, #0x2424\n\t"
                     "mov x25, #0x2525\n\tmov x26, #0x2626\n\tmov x27, #0x2727\n\t"
                     "mov x28, #0x2828\n\t"
                     "mov x9, #0x909\n\tmov x10, #0x1010\n\tmov x18, #0x1818\n\t"
                     "svc #0\n\t"
                     "stp x0, x1, [x30, #0]\n\tstp x2, x3, [x30, #16]\n\t"
                     "stp x4, x5, [x30, #32]\n\tstp x6, x7, [x30, #48]\n\t"
                     "stp x8, x9, [x30, #64]\n\tstp x10, x11, [x30, #80]\n\t"
                     "stp x12, x13, [x30, #96]\n\tstp x14, x15, [x30, #112]\n\t"
                     "stp x16, x17, [x30, #128]\n\tstp x18, x19, [x30, #144]\n\t"
                     "stp x20, x21, [x30, #160]\n\tstp x22, x23, [x30, #176]\n\t"
                     "stp x24, x25, [x30, #192]\n\tstp x26, x27, [x30, #208]\n\t"
                     "str x28, [x30, #224]\n\t"
                     "ldp x21, x22, [sp, #16]\n\t"
                     "ldp x23, x24, [sp, #32]\n\t"
                     "ldp x25, x26, [sp, #48]\n\t"
                     "ldp x27, x28, [sp, #64]\n\t"
                     "ldr x30, [sp, #80]\n\t"
                     "ldp x19, x20, [sp], #96"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x8), "+r"(x29)
                     :
                     : "x3", "x4", "x5", "x6", "x7", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
                       "x16", "x17", "x18", "memory");
}

static void check_registers_after_call(const uint64_t *regs, const char *path)
{
    static const uint64_t kept[10] = {0x1919, 0x2020, 0x2121, 0x2222, 0x2323,
                                      0x2424, 0x2525, 0x2626, 0x2727, 0x2828};

    CHECK_EQ(regs[0], 0);
    CHECK_EQ(MSGINFO_LABEL(regs[1]), 21);
    CHECK_EQ(regs[2], 1000 + 1);
    for (unsigned i = 0; i < 10; i++) {
        CHECK_EQ(regs[19 + i], kept[i]);
    }
    for (unsigned i = 0; i <= 18; i++) {
        if (kernel_address(regs[i])) {
            printf("    # %s: x%u came back as 0x%llx, a kernel address\n", path, i,
                   (unsigned long long)regs[i]);
            CHECK(!kernel_address(regs[i]));
        }
    }
}

void test_fast_and_slow_paths_keep_the_abi(void)
{
    long rendezvous = sys_endpoint_create(0);
    long mailbox = sys_endpoint_create(1);
    long echo_fast = usertest_spawn_echo(rendezvous);
    long echo_slow = usertest_spawn_echo(mailbox);
    uint64_t regs[29];

    CHECK(echo_fast >= 0 && echo_slow >= 0);
    echo_once(rendezvous, 1, 0); /* now the server waits in its receive */
    for (int i = 0; i < 3; i++) {
        uint64_t before = fastpath_count();
        call_with_patterns(rendezvous, regs);
        CHECK_EQ(fastpath_count() - before, 2);
        check_registers_after_call(regs, "fast path");
        before = fastpath_count();
        call_with_patterns(mailbox, regs);
        CHECK_EQ(fastpath_count() - before, 0);
        check_registers_after_call(regs, "slow path");
    }
    stop_echo(rendezvous, echo_fast);
    stop_echo(mailbox, echo_slow);
    sys_handle_close(rendezvous);
    sys_handle_close(mailbox);
}

/* ---- FP/SIMD state across a hand-off to a thread that uses it ---- */

static uint64_t fp_mine[64] __attribute__((aligned(16)));
static uint64_t fp_theirs[64] __attribute__((aligned(16)));
static uint64_t fp_back[64] __attribute__((aligned(16)));
static long fp_ep;
static char fp_stack[8192] __attribute__((aligned(16)));

#define FP_LOAD(reg)                                                                               \
    "ld1 {v0.2d-v3.2d}, [" reg "], #64\n\tld1 {v4.2d-v7.2d}, [" reg "], #64\n\t"                   \
    "ld1 {v8.2d-v11.2d}, [" reg "], #64\n\tld1 {v12.2d-v15.2d}, [" reg "], #64\n\t"                \
    "ld1 {v16.2d-v19.2d}, [" reg "], #64\n\tld1 {v20.2d-v23.2d}, [" reg "], #64\n\t"               \
    "ld1 {v24.2d-v27.2d}, [" reg "], #64\n\tld1 {v28.2d-v31.2d}, [" reg "], #64\n\t"
#define FP_STORE(reg)                                                                              \
    "st1 {v0.2d-v3.2d}, [" reg "], #64\n\tst1 {v4.2d-v7.2d}, [" reg "], #64\n\t"                   \
    "st1 {v8.2d-v11.2d}, [" reg "], #64\n\tst1 {v12.2d-v15.2d}, [" reg "], #64\n\t"                \
    "st1 {v16.2d-v19.2d}, [" reg "], #64\n\tst1 {v20.2d-v23.2d}, [" reg "], #64\n\t"               \
    "st1 {v24.2d-v27.2d}, [" reg "], #64\n\tst1 {v28.2d-v31.2d}, [" reg "], #64"
#define FP_CLOBBERS                                                                                \
    "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", \
        "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", \
        "v28", "v29", "v30", "v31"

/* Answers each call after loading its own pattern into every FP register. */
static void fp_server(void *arg)
{
    struct umsg m;
    uint64_t w[4] = {0};

    (void)arg;
    long err = sys_recv(fp_ep, &m);
    while (err == 0 && MSGINFO_LABEL(m.info) != LABEL_QUIT) {
        register uint64_t x19 __asm__("x19") = (uint64_t)fp_theirs;
        __asm__ volatile(FP_LOAD("x19") : "+r"(x19) : : FP_CLOBBERS);
        err = sys_reply_recv(fp_ep, MSGINFO(1, 0), w, &m);
    }
    sys_reply(MSGINFO(LABEL_QUIT, 0), w);
}

/* Loads our pattern, calls fp_ep (the server clobbers every FP register),
 * and stores what we find after. */
static void fp_call(void)
{
    register uint64_t x19 __asm__("x19") = (uint64_t)fp_mine;
    register uint64_t x20 __asm__("x20") = (uint64_t)fp_back;
    register long x0 __asm__("x0") = fp_ep;
    register uint64_t x1 __asm__("x1") = MSGINFO(1, 0);
    register uint64_t x8 __asm__("x8") = SYS_CALL;

    __asm__ volatile(FP_LOAD("x19") "svc #0\n\t" FP_STORE("x20")
                     : "+r"(x19), "+r"(x20), "+r"(x0), "+r"(x1), "+r"(x8)
                     :
                     : "x2", "x3", "x4", "x5", "x6", "x7", SVC_CLOBBERS, FP_CLOBBERS, "memory");
}

static void fp_round(long ep, const char *path, uint64_t want_fast)
{
    fp_ep = ep;
    for (unsigned i = 0; i < 64; i++) {
        fp_mine[i] = 0x1111111111111111ULL * (i % 15 + 1) + i;
        fp_theirs[i] = ~fp_mine[i];
        fp_back[i] = 0;
    }
    CHECK(thread_create(fp_server, NULL, fp_stack, sizeof(fp_stack)) > 0);
    sys_yield(); /* let it reach its receive */
    for (int round = 0; round < 4; round++) {
        uint64_t before = fastpath_count();
        fp_call();
        if (want_fast) {
            CHECK(fastpath_count() - before >= 1);
        } else {
            CHECK_EQ(fastpath_count() - before, 0);
        }
        for (unsigned i = 0; i < 64; i++) {
            if (fp_back[i] != fp_mine[i]) {
                printf("    # %s: v%u changed across the call\n", path, i / 2);
                CHECK_EQ(fp_back[i], fp_mine[i]);
                break;
            }
        }
    }
    struct umsg reply;
    sys_call(ep, MSGINFO(LABEL_QUIT, 0), NULL, &reply);
    for (int i = 0; i < 50; i++) {
        sys_yield(); /* let the server thread end */
    }
}

void test_fp_state_across_both_paths(void)
{
    long rendezvous = sys_endpoint_create(0);
    long mailbox = sys_endpoint_create(1);

    CHECK(rendezvous >= 0 && mailbox >= 0);
    fp_round(rendezvous, "fast path", 1);
    fp_round(mailbox, "slow path", 0);
    sys_handle_close(rendezvous);
    sys_handle_close(mailbox);
}

/* ---- fairness: a ping-pong on the fast path does not starve a peer ---- */

static volatile uint64_t spins;     /* the spinner's work */
static volatile uint64_t own_spins; /* the same work, done by the test's thread */
static volatile int spinner_stop;
static char spinner_stack[4096] __attribute__((aligned(16)));

static void spinner(void *arg)
{
    (void)arg;
    while (!spinner_stop) {
        spins++;
    }
}

/* The spinner's loop, n times, on the test thread's own counter. */
static void spin_own(uint64_t n)
{
    for (uint64_t i = 0; i < n && !spinner_stop; i++) {
        own_spins++;
    }
}

/*
 * The fast path hands the caller's time slice to the server and back: the
 * pair gets no more CPU than one thread would, and a third thread of the
 * same priority, spinning, gets every other slice.
 *
 * No clock: the spinner's work is the measure. The test thread ping-pongs
 * with echo, doing a little of the spinner's work (its own counter) after
 * each call, until the spinner has had 16 turns. The pair and the spinner
 * take turns of one slice each, so the spinner must have done at least
 * about as much work as the test thread; half as much is asked. Were each
 * hand-off to give the woken thread a fresh slice, the pair's slice would
 * never end, and the spinner would hardly ever run: the loop gives up after
 * the test thread has done 256 slices' worth of work, a slice's worth being
 * the most the spinner did in a turn while the two took turns alone.
 */
void test_fast_path_ping_pong_leaves_time_for_others(void)
{
    enum { CALIBRATION_TURNS = 4, TURNS = 16, GIVE_UP_SLICES = 256, CALLS_PER_SLICE = 64 };
    long ep = sys_endpoint_create(0);
    long echo = usertest_spawn_echo(ep);

    CHECK(echo >= 0);
    echo_once(ep, 1, 0); /* now echo waits in its receive */
    spins = 0;
    own_spins = 0;
    spinner_stop = 0;
    CHECK(thread_create(spinner, NULL, spinner_stack, sizeof(spinner_stack)) > 0);

    /* A slice's worth of work: the most the spinner did in one of its turns
     * 2 to 4 (the first may have begun before we looked). */
    uint64_t seen = spins, slice = 0;
    for (unsigned turns = 0; turns < CALIBRATION_TURNS;) {
        spin_own(1000);
        if (spins != seen) {
            if (turns++ > 0 && spins - seen > slice) {
                slice = spins - seen;
            }
            seen = spins;
        }
    }
    CHECK(slice > 0);

    uint64_t before = fastpath_count();
    uint64_t spins_before = spins, own_before = own_spins;
    uint64_t calls = 0, spinner_turns = 0;
    seen = spins;
    while (spinner_turns < TURNS && own_spins - own_before < GIVE_UP_SLICES * slice) {
        uint64_t w[4] = {calls, 0, 0, 0};
        struct umsg reply;
        if (sys_call(ep, MSGINFO(2, 1), w, &reply) != 0 || reply.w[0] != calls + 1) {
            CHECK(0);
            break;
        }
        calls++;
        spin_own(slice / CALLS_PER_SLICE + 1);
        if (spins != seen) {
            seen = spins;
            spinner_turns++;
        }
    }
    uint64_t fast = fastpath_count() - before;
    uint64_t spinner_work = spins - spins_before, own_work = own_spins - own_before;
    CHECK(fast > calls); /* most exchanges went fast */
    CHECK_EQ(spinner_turns, TURNS);
    CHECK(2 * spinner_work >= own_work);
    printf("    # a slice's work: %llu; %llu calls (%llu fast) and %llu work, while the "
           "spinner ran %llu times and did %llu\n",
           (unsigned long long)slice, (unsigned long long)calls, (unsigned long long)fast,
           (unsigned long long)own_work, (unsigned long long)spinner_turns,
           (unsigned long long)spinner_work);
    spinner_stop = 1;
    for (int i = 0; i < 50; i++) {
        sys_yield();
    }
    stop_echo(ep, echo);
    sys_handle_close(ep);
}
