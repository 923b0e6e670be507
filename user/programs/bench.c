/*
 * bench: the user-mode half of make bench. The kernel's bench demo starts
 * it once per figure, as "bench <mode> [words] <iterations> <unit>" (unit:
 * "instructions" or "cycles", what the counter counts), and takes the
 * figure back as the exit status (a negative status is an error code).
 *
 *   null         a system call the kernel does not have (E_NOSYS at once)
 *   yield        yield with nothing else ready
 *   fault        a load that faults, served by a fault handler (benchsrv
 *                pager) in another address space, to the next instruction
 *   map          map one fresh 4 KiB page (SYS_MAP) next to one already
 *                mapped; unmapped again outside the window
 *   ipc W        call + reply_recv round trip with W words to benchsrv in
 *                another address space (W > 4 uses the IPC buffer)
 *   ipc-call     one way, 4 words: our svc to the server's return
 *   ipc-reply    one way, 4 words: the server's svc to our return
 *   notify       signal -> wait wakeup, per direction of a ping-pong
 *   switch       yield to benchsrv and back, per switch
 *   trace        one 4-word call between two task_info calls, for
 *                scripts/bench.py's instruction trace (no figure)
 *
 * Every window is one asm statement: read PMCCNTR_EL0, the system call(s),
 * read it again. The baseline is the same statement with "nop" in place of
 * each svc, so the difference is what the kernel executed, from the vector
 * entry to the eret (sel4bench counts the same way). Where the partner runs
 * inside the window, its few user instructions (bench_proto.h) are
 * subtracted too.
 */
#include "bench_proto.h"
#include "lib/bench_stats.h"
#include "ulib.h"

#define BENCH_PAGE     4096
#define BENCH_FAULT_VA (USER_MAP_BASE + 0x70000000ULL) /* never mapped */

static uint64_t samples[BENCH_MAX_SAMPLES];
static uint64_t samples_second[BENCH_MAX_SAMPLES];
static uint64_t baseline[BENCH_MAX_SAMPLES];
/* The partner's user instructions are subtracted only when the counter
 * counts instructions; in cycles they stay in (a few cycles among many). */
static int counting_instructions;

static uint64_t minus_partner(uint64_t value, uint64_t user_insns)
{
    return counting_instructions ? bench_subtract(value, user_insns) : value;
}

static uint64_t time_syscall(uint64_t number, int real)
{
    register uint64_t x0 __asm__("x0") = 0;
    register uint64_t x8 __asm__("x8") = number;
    uint64_t t0, t1;

    if (real) {
        __asm__ volatile("mrs %[t0], pmccntr_el0\n\tsvc #0\n\tmrs %[t1], pmccntr_el0"
                         : [t0] "=&r"(t0), [t1] "=r"(t1), "+r"(x0), "+r"(x8)
                         :
                         : "x1", "x2", "x3", "x4", "x5", "x6", "x7", SVC_CLOBBERS);
    } else {
        __asm__ volatile("mrs %[t0], pmccntr_el0\n\tnop\n\tmrs %[t1], pmccntr_el0"
                         : [t0] "=&r"(t0), [t1] "=r"(t1), "+r"(x0), "+r"(x8)
                         :
                         : "x1", "x2", "x3", "x4", "x5", "x6", "x7", SVC_CLOBBERS);
    }
    return t1 - t0;
}

/* trigger(irq) then wait(n): the interrupt goes through the GIC, the
 * kernel's handler signals n, and the wait returns with its bit. */
static uint64_t time_irq(long control, long irq, long n, int real)
{
    uint64_t t0, t1;

#define IRQ_WINDOW(insn)                                                                           \
    __asm__ volatile("mov  x0, %[control]\n\t"                                                     \
                     "mov  x1, %[irq]\n\t"                                                         \
                     "mov  x8, #%[trigger]\n\t"                                                    \
                     "mrs  %[t0], pmccntr_el0\n\t" insn "\n\t"                                     \
                     "mov  x0, %[n]\n\t"                                                           \
                     "mov  x8, #%[wait]\n\t" insn "\n\t"                                           \
                     "mrs  %[t1], pmccntr_el0"                                                     \
                     : [t0] "=&r"(t0), [t1] "=&r"(t1)                                              \
                     : [control] "r"(control), [irq] "r"(irq), [n] "r"(n),                         \
                       [trigger] "i"(SYS_IRQ_TRIGGER), [wait] "i"(SYS_WAIT)                        \
                     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", SVC_CLOBBERS)
    if (real) {
        IRQ_WINDOW("svc #0");
    } else {
        IRQ_WINDOW("nop");
    }
#undef IRQ_WINDOW
    return t1 - t0;
}

struct call_times {
    uint64_t t0, t1; /* our counter readings around the svc */
    uint64_t w0, w1; /* words 0 and 1 of the answer */
};

static void time_call(long ep, uint64_t info, int real, struct call_times *out)
{
    register long x0 __asm__("x0") = ep;
    register uint64_t x1 __asm__("x1") = info;
    register uint64_t x2 __asm__("x2") = 10;
    register uint64_t x3 __asm__("x3") = 11;
    register uint64_t x4 __asm__("x4") = 12;
    register uint64_t x5 __asm__("x5") = 13;
    register uint64_t x8 __asm__("x8") = SYS_CALL;
    uint64_t t0, t1;

    if (real) {
        __asm__ volatile("mrs %[t0], pmccntr_el0\n\tsvc #0\n\tmrs %[t1], pmccntr_el0"
                         : [t0] "=&r"(t0), [t1] "=r"(t1), "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3),
                           "+r"(x4), "+r"(x5), "+r"(x8)
                         :
                         : "x6", "x7", SVC_CLOBBERS);
    } else {
        __asm__ volatile("mrs %[t0], pmccntr_el0\n\tnop\n\tmrs %[t1], pmccntr_el0"
                         : [t0] "=&r"(t0), [t1] "=r"(t1), "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3),
                           "+r"(x4), "+r"(x5), "+r"(x8)
                         :
                         : "x6", "x7", SVC_CLOBBERS);
    }
    out->t0 = t0;
    out->t1 = t1;
    out->w0 = x2;
    out->w1 = x3;
}

/* signal(go), then wait(back): one ping-pong with the partner. */
static uint64_t time_notify(long go, long back, int real)
{
    uint64_t t0, t1;

#define NOTIFY_WINDOW(insn)                                                                        \
    __asm__ volatile("mov  x0, %[go]\n\t"                                                          \
                     "mov  x1, #%[ping]\n\t"                                                       \
                     "mov  x8, #%[signal]\n\t"                                                     \
                     "mrs  %[t0], pmccntr_el0\n\t" insn "\n\t"                                     \
                     "mov  x0, %[back]\n\t"                                                        \
                     "mov  x8, #%[wait]\n\t" insn "\n\t"                                           \
                     "mrs  %[t1], pmccntr_el0"                                                     \
                     : [t0] "=&r"(t0), [t1] "=&r"(t1)                                              \
                     : [go] "r"(go), [back] "r"(back), [ping] "i"(BENCH_BIT_PING),                 \
                       [signal] "i"(SYS_SIGNAL), [wait] "i"(SYS_WAIT)                              \
                     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", SVC_CLOBBERS)
    if (real) {
        NOTIFY_WINDOW("svc #0");
    } else {
        NOTIFY_WINDOW("nop");
    }
#undef NOTIFY_WINDOW
    return t1 - t0;
}

static uint64_t warmup(uint64_t n)
{
    return n / 10 + 2;
}

/* median(samples) - median(baseline), never below 0. */
static uint64_t net(uint64_t *with, uint64_t *without, uint64_t n)
{
    return bench_subtract(bench_median(with, n), bench_median(without, n));
}

static uint64_t bench_syscall(uint64_t number, uint64_t n)
{
    for (uint64_t i = 0; i < warmup(n); i++) {
        time_syscall(number, 1);
    }
    for (uint64_t i = 0; i < n; i++) {
        samples[i] = time_syscall(number, 1);
        baseline[i] = time_syscall(number, 0);
    }
    return net(samples, baseline, n);
}

/* SYS_MAP of one fresh 4 KiB page at a fixed address, the way a pager or
 * an allocator asks for memory; unmapped again outside the window. */
static uint64_t time_map(uint64_t va, int real)
{
    register uint64_t x0 __asm__("x0") = va;
    register uint64_t x1 __asm__("x1") = BENCH_PAGE;
    register uint64_t x2 __asm__("x2") = PROT_READ | PROT_WRITE;
    register uint64_t x8 __asm__("x8") = SYS_MAP;
    uint64_t t0, t1;

    if (real) {
        __asm__ volatile("mrs %[t0], pmccntr_el0\n\tsvc #0\n\tmrs %[t1], pmccntr_el0"
                         : [t0] "=&r"(t0), [t1] "=r"(t1), "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x8)
                         :
                         : "x3", "x4", "x5", "x6", "x7", SVC_CLOBBERS);
        if ((long)x0 < 0) {
            sys_exit((long)x0);
        }
        sys_unmap(va, BENCH_PAGE);
    } else {
        __asm__ volatile("mrs %[t0], pmccntr_el0\n\tnop\n\tmrs %[t1], pmccntr_el0"
                         : [t0] "=&r"(t0), [t1] "=r"(t1), "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x8)
                         :
                         : "x3", "x4", "x5", "x6", "x7", SVC_CLOBBERS);
    }
    return t1 - t0;
}

static uint64_t bench_map(uint64_t n)
{
    uint64_t va = USER_MAP_BASE + 0x10000000ULL;

    /* A neighbour keeps the page tables in place: the figure is the map
     * itself, not the building of tables (as seL4's, where the tables are
     * objects of their own). */
    if (sys_map(va + BENCH_PAGE, BENCH_PAGE, PROT_READ | PROT_WRITE) < 0) {
        sys_exit(E_NOMEM);
    }
    for (uint64_t i = 0; i < warmup(n); i++) {
        time_map(va, 1);
    }
    for (uint64_t i = 0; i < n; i++) {
        samples[i] = time_map(va, 1);
        baseline[i] = time_map(va, 0);
    }
    return net(samples, baseline, n);
}

/* A software-raised interrupt to this thread's notification, the road a
 * device's interrupt takes to a user-mode driver. The kernel started us, so
 * handle 0 is the interrupt-control right. INTID 100 has no device on virt. */
static uint64_t bench_irq(uint64_t n)
{
    const long control = 0;
    const long irq = 100;
    long notification = sys_notify_create();

    if (notification < 0 || sys_irq_bind(control, irq, notification, 0) < 0) {
        sys_exit(E_INVAL);
    }
    for (uint64_t i = 0; i < warmup(n); i++) {
        time_irq(control, irq, notification, 1);
        sys_irq_ack(control, irq);
    }
    for (uint64_t i = 0; i < n; i++) {
        samples[i] = time_irq(control, irq, notification, 1);
        sys_irq_ack(control, irq);
        baseline[i] = time_irq(control, irq, notification, 0);
    }
    return net(samples, baseline, n);
}

static long spawn_partner(const char *command, const long *handles, size_t count)
{
    long task = sys_spawn(command, handles, count);

    if (task < 0) {
        sys_exit(task);
    }
    return task;
}

/* Asks the echo or stamp server to stop, and waits until it has. */
static void stop_server(long ep, long server)
{
    struct umsg reply;

    sys_call(ep, MSGINFO(BENCH_LABEL_QUIT, 0), NULL, &reply);
    if (sys_task_wait(server) != 0) {
        sys_exit(E_INVAL);
    }
}

/* A load from an address nobody mapped: this task's fault handler (benchsrv
 * pager) resumes it at the next instruction. With "nop" in its place, the
 * baseline. */
static uint64_t time_fault(int real)
{
    register uint64_t x10 __asm__("x10") = BENCH_FAULT_VA;
    uint64_t t0, t1;

    if (real) {
        __asm__ volatile("mrs %[t0], pmccntr_el0\n\tldr x9, [x10]\n\tmrs %[t1], pmccntr_el0"
                         : [t0] "=&r"(t0), [t1] "=r"(t1)
                         : "r"(x10)
                         : "x9", "memory");
    } else {
        __asm__ volatile("mrs %[t0], pmccntr_el0\n\tnop\n\tmrs %[t1], pmccntr_el0"
                         : [t0] "=&r"(t0), [t1] "=r"(t1)
                         : "r"(x10)
                         : "x9", "memory");
    }
    return t1 - t0;
}

/* A fault, served by a fault handler in another address space, back to the
 * instruction after it (fault.user_handler_rt). */
static uint64_t bench_fault(uint64_t n)
{
    long ep = sys_endpoint_create(0);

    if (ep < 0) {
        sys_exit(ep);
    }
    long server = spawn_partner("benchsrv pager", &ep, 1);
    if (sys_fault_handler(TASK_SELF, (uint64_t)ep) != 0) {
        sys_exit(E_INVAL);
    }
    for (uint64_t i = 0; i < warmup(n); i++) {
        time_fault(1);
    }
    for (uint64_t i = 0; i < n; i++) {
        samples[i] = time_fault(1);
        baseline[i] = time_fault(0);
    }
    sys_fault_handler(TASK_SELF, FAULT_HANDLER_NONE);
    stop_server(ep, server);
    return minus_partner(net(samples, baseline, n), BENCH_PAGER_USER_INSNS);
}

static uint64_t bench_ipc(uint64_t words, uint64_t n)
{
    long ep = sys_endpoint_create(0);
    struct call_times ct;

    if (ep < 0) {
        sys_exit(ep);
    }
    long server = spawn_partner("benchsrv echo", &ep, 1);
    for (uint64_t i = IPC_FAST_WORDS; i < words; i++) {
        ipc_buffer()[i] = i; /* words 4 and up travel in the IPC buffer */
    }
    uint64_t info = MSGINFO(BENCH_LABEL_ECHO, words);
    for (uint64_t i = 0; i < warmup(n); i++) {
        time_call(ep, info, 1, &ct);
    }
    for (uint64_t i = 0; i < n; i++) {
        time_call(ep, info, 1, &ct);
        samples[i] = ct.t1 - ct.t0;
        time_call(ep, info, 0, &ct);
        baseline[i] = ct.t1 - ct.t0;
    }
    stop_server(ep, server);
    return minus_partner(net(samples, baseline, n), BENCH_ECHO_USER_INSNS);
}

/* The echo server as a second thread of this task (handle arg: the endpoint). */
static void echo_thread(void *arg)
{
    struct umsg m;

    long ep = (long)(uintptr_t)arg;

    if (echo_loop(ep, &m, sys_recv(ep, &m)) == 0) {
        sys_reply(MSGINFO(BENCH_LABEL_QUIT, 0), NULL); /* answer the quit, then end */
    }
}

static char echo_thread_stack[8192] __attribute__((aligned(16)));

/* The same round trip as bench_ipc, between two threads of one task: no
 * address-space switch. */
static uint64_t bench_ipc_thread(uint64_t words, uint64_t n)
{
    long ep = sys_endpoint_create(0);
    struct call_times ct;
    struct umsg reply;

    if (ep < 0 || thread_create(echo_thread, (void *)(uintptr_t)ep, echo_thread_stack,
                                sizeof(echo_thread_stack)) < 0) {
        sys_exit(E_NOSPC);
    }
    for (uint64_t i = IPC_FAST_WORDS; i < words; i++) {
        ipc_buffer()[i] = i;
    }
    uint64_t info = MSGINFO(BENCH_LABEL_ECHO, words);
    for (uint64_t i = 0; i < warmup(n); i++) {
        time_call(ep, info, 1, &ct);
    }
    for (uint64_t i = 0; i < n; i++) {
        time_call(ep, info, 1, &ct);
        samples[i] = ct.t1 - ct.t0;
        time_call(ep, info, 0, &ct);
        baseline[i] = ct.t1 - ct.t0;
    }
    sys_call(ep, MSGINFO(BENCH_LABEL_QUIT, 0), NULL, &reply);
    return minus_partner(net(samples, baseline, n), BENCH_ECHO_USER_INSNS);
}

/* The round trip cut in two by the server's counter readings. */
static uint64_t bench_ipc_one_way(int reply_half, uint64_t n)
{
    long ep = sys_endpoint_create(0);
    struct call_times ct;

    if (ep < 0) {
        sys_exit(ep);
    }
    long server = spawn_partner("benchsrv stamp", &ep, 1);
    uint64_t info = MSGINFO(BENCH_LABEL_ECHO, IPC_FAST_WORDS);
    for (uint64_t i = 0; i < warmup(n); i++) {
        time_call(ep, info, 1, &ct);
    }
    for (uint64_t i = 0; i < n; i++) {
        time_call(ep, info, 1, &ct);
        samples[i] = ct.w0 - ct.t0;        /* our svc .. the server's return */
        samples_second[i] = ct.t1 - ct.w1; /* the server's svc .. our return */
        time_call(ep, info, 0, &ct);
        baseline[i] = ct.t1 - ct.t0;
    }
    stop_server(ep, server);
    return net(reply_half ? samples_second : samples, baseline, n);
}

static uint64_t bench_notify(uint64_t n)
{
    long go = sys_notify_create();
    long back = sys_notify_create();

    if (go < 0 || back < 0) {
        sys_exit(go < 0 ? go : back);
    }
    long handles[2] = {go, back};
    long server = spawn_partner("benchsrv notify", handles, 2);
    for (uint64_t i = 0; i < warmup(n); i++) {
        time_notify(go, back, 1);
    }
    for (uint64_t i = 0; i < n; i++) {
        samples[i] = time_notify(go, back, 1);
        baseline[i] = time_notify(go, back, 0);
    }
    sys_signal(go, BENCH_BIT_QUIT);
    if (sys_task_wait(server) != 0) {
        sys_exit(E_INVAL);
    }
    /* Two directions per ping-pong. */
    return minus_partner(net(samples, baseline, n), BENCH_NOTIFY_USER_INSNS) / 2;
}

static uint64_t bench_switch(uint64_t n)
{
    char command[40];
    /* The partner yields a little longer than we do, then alone until done. */
    uint64_t rounds = warmup(n) + n + 16;

    ksnprintf(command, sizeof(command), "benchsrv switch %llu", (unsigned long long)rounds);
    long server = spawn_partner(command, NULL, 0);
    for (uint64_t i = 0; i < warmup(n); i++) {
        time_syscall(SYS_YIELD, 1);
    }
    for (uint64_t i = 0; i < n; i++) {
        samples[i] = time_syscall(SYS_YIELD, 1);
        baseline[i] = time_syscall(SYS_YIELD, 0);
    }
    if (sys_task_wait(server) != 0) {
        sys_exit(E_INVAL);
    }
    /* Two switches per round: to the partner and back. */
    return minus_partner(net(samples, baseline, n), BENCH_SWITCH_USER_INSNS) / 2;
}

/* One call between two markers that the instruction trace looks for. */
static uint64_t bench_trace(void)
{
    long ep = sys_endpoint_create(0);
    struct call_times ct;
    struct task_info info;

    if (ep < 0) {
        sys_exit(ep);
    }
    long server = spawn_partner("benchsrv echo", &ep, 1);
    for (int i = 0; i < 8; i++) {
        time_call(ep, MSGINFO(BENCH_LABEL_ECHO, IPC_FAST_WORDS), 1, &ct);
    }
    sys_task_info(&info);
    time_call(ep, MSGINFO(BENCH_LABEL_ECHO, IPC_FAST_WORDS), 1, &ct);
    sys_task_info(&info);
    stop_server(ep, server);
    return ct.t1 - ct.t0;
}

/* Splits "a b c" into at most max words. */
static unsigned split(const char *s, size_t len, const char **word, size_t *word_len, unsigned max)
{
    unsigned count = 0;
    size_t i = 0;

    while (i < len && count < max) {
        while (i < len && s[i] == ' ') {
            i++;
        }
        size_t start = i;
        while (i < len && s[i] != ' ') {
            i++;
        }
        if (i > start) {
            word[count] = s + start;
            word_len[count++] = i - start;
        }
    }
    return count;
}

static int is(const char *w, size_t len, const char *name)
{
    return len == strlen(name) && memcmp(w, name, len) == 0;
}

int main(const char *arg, size_t arg_len)
{
    const char *word[4];
    size_t len[4];
    unsigned words = split(arg, arg_len, word, len, 4);
    uint64_t n = 0;
    uint64_t param = 0;

    if (words == 1 && is(word[0], len[0], "trace")) {
        sys_exit((long)bench_trace());
    }
    if (words < 3 || !bench_parse_u64(word[words - 2], len[words - 2], &n) || n == 0) {
        printf("usage: bench <mode> [words] <iterations> instructions|cycles\n");
        sys_exit(E_INVAL);
    }
    if (n > BENCH_MAX_SAMPLES) {
        n = BENCH_MAX_SAMPLES;
    }
    counting_instructions = is(word[words - 1], len[words - 1], "instructions");
    if (words == 4 && (!bench_parse_u64(word[1], len[1], &param) || param > IPC_MAX_WORDS)) {
        sys_exit(E_INVAL);
    }
    uint64_t figure;
    if (is(word[0], len[0], "null")) {
        figure = bench_syscall(BENCH_SYS_UNUSED, n);
    } else if (is(word[0], len[0], "yield")) {
        figure = bench_syscall(SYS_YIELD, n);
    } else if (is(word[0], len[0], "map")) {
        figure = bench_map(n);
    } else if (is(word[0], len[0], "fault")) {
        figure = bench_fault(n);
    } else if (is(word[0], len[0], "ipc") && words == 4) {
        figure = bench_ipc(param, n);
    } else if (is(word[0], len[0], "ipc-thread") && words == 4) {
        figure = bench_ipc_thread(param, n);
    } else if (is(word[0], len[0], "ipc-call")) {
        figure = bench_ipc_one_way(0, n);
    } else if (is(word[0], len[0], "ipc-reply")) {
        figure = bench_ipc_one_way(1, n);
    } else if (is(word[0], len[0], "irq")) {
        figure = bench_irq(n);
    } else if (is(word[0], len[0], "notify")) {
        figure = bench_notify(n);
    } else if (is(word[0], len[0], "switch")) {
        figure = bench_switch(n);
    } else {
        printf("bench: unknown mode '%.*s'\n", (int)len[0], word[0]);
        sys_exit(E_INVAL);
    }
    sys_exit((long)figure);
}
