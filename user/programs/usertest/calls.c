/*
 * usertest: attacks the system call interface from user mode, the way a
 * buggy or hostile program would, and checks every answer. Each bad call
 * must come back with an error code and leave this task running.
 *
 * Prints "ok N name" or "not ok N name" per test and a closing
 * "usertest: N passed, N failed"; exits with the number of failures.
 */
#include "ulib.h"

#define PAGE        4096UL
#define KERNEL_ADDR 0xffff000040200000UL
#define UNMAPPED    0x0000200000000000UL

static int tests_passed;
static int tests_failed;
static int current_failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("    # %s:%d: %s\n", __FILE__, __LINE__, #cond);                                \
            current_failed = 1;                                                                    \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long va_ = (long)(a), vb_ = (long)(b);                                                     \
        if (va_ != vb_) {                                                                          \
            printf("    # %s:%d: %s == %ld, expected %ld\n", __FILE__, __LINE__, #a, va_, vb_);    \
            current_failed = 1;                                                                    \
        }                                                                                          \
    } while (0)

static void run(const char *name, void (*fn)(void))
{
    current_failed = 0;
    fn();
    if (current_failed) {
        tests_failed++;
        printf("not ok %d %s\n", tests_passed + tests_failed, name);
    } else {
        tests_passed++;
        printf("ok %d %s\n", tests_passed + tests_failed, name);
    }
}

static void test_unknown_syscall(void)
{
    CHECK_EQ(syscall6(SYSCALL_COUNT, 0, 0, 0, 0, 0, 0), E_NOSYS);
    CHECK_EQ(syscall6(999, 0, 0, 0, 0, 0, 0), E_NOSYS);
    CHECK_EQ(syscall6(-1, 0, 0, 0, 0, 0, 0), E_NOSYS);
}

static void test_simple_calls(void)
{
    struct task_info info;

    CHECK_EQ(sys_yield(), 0);
    CHECK_EQ(sys_sleep(1000000), 0);
    CHECK_EQ(sys_debug_write("usertest: hello through debug_write\n", 36), 36);
    CHECK_EQ(sys_task_info(&info), 0);
    CHECK_EQ(info.exception_level, 0);
    CHECK(info.task_id > 0 && info.free_frames > 0);
}

/* Every pointer-taking call, given pointers it must refuse. */
static void test_bad_pointers(void)
{
    static const uint64_t bad[] = {
        0, KERNEL_ADDR, UNMAPPED, USER_SPACE_TOP - 8, USER_SPACE_TOP, ~0UL - 7};
    long handles[1] = {99};

    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_EQ(sys_debug_write((const char *)bad[i], 16), E_FAULT);
        CHECK_EQ(sys_task_info((struct task_info *)bad[i]), E_FAULT);
        CHECK_EQ(sys_spawn((const char *)bad[i], NULL, 0), E_FAULT);
        CHECK_EQ(sys_spawn("fault ok", (const long *)bad[i], 1), E_FAULT);
    }
    /* A length beyond any sane buffer, and one that wraps around the top. */
    CHECK_EQ(sys_debug_write((const char *)0x400000, ~0UL - 0x100), E_INVAL);
    CHECK_EQ(sys_debug_write((const char *)(~0UL - 0x10), 0x100), E_FAULT);
    /* Read-only memory (our own code) cannot receive task_info. */
    CHECK_EQ(sys_task_info((struct task_info *)0x400000), E_FAULT);
    /* A good name with a bad handle number. */
    CHECK_EQ(sys_spawn("fault ok", handles, 1), E_BADHANDLE);
    CHECK_EQ(sys_spawn("fault ok", handles, 1000), E_INVAL);
}

/* A name running up to the end of a mapped page with no terminator. */
static void test_unterminated_string(void)
{
    long va = sys_map(0, 2 * PAGE, PROT_READ | PROT_WRITE);
    CHECK(va > 0);
    if (va <= 0) {
        return;
    }
    CHECK_EQ(sys_unmap((uint64_t)va + PAGE, PAGE), 0);
    char *last = (char *)(va + PAGE - 8);
    memset(last, 'x', 8);
    CHECK_EQ(sys_spawn(last, NULL, 0), E_FAULT);
    last[7] = '\0';
    CHECK_EQ(sys_spawn(last, NULL, 0), E_NOENT); /* "xxxxxxx": terminated, but no such program */
    CHECK_EQ(sys_unmap((uint64_t)va, PAGE), 0);
}

static void test_map_unmap(void)
{
    long va = sys_map(0, 3 * PAGE, PROT_READ | PROT_WRITE);
    CHECK(va > 0 && (va & (PAGE - 1)) == 0);
    if (va > 0) {
        volatile uint64_t *p = (volatile uint64_t *)va;
        p[0] = 0x1234;
        p[3 * PAGE / 8 - 1] = 0x5678;
        CHECK_EQ(p[0], 0x1234);
        CHECK_EQ(sys_map((uint64_t)va, PAGE, PROT_READ), E_BUSY);
        CHECK_EQ(sys_unmap((uint64_t)va, 3 * PAGE), 0);
    }
    CHECK_EQ(sys_map(0x12345, PAGE, PROT_READ), E_INVAL);                   /* misaligned */
    CHECK_EQ(sys_map(0, 0, PROT_READ), E_INVAL);                            /* empty */
    CHECK_EQ(sys_map(KERNEL_ADDR, PAGE, PROT_READ), E_INVAL);               /* not user space */
    CHECK_EQ(sys_map(USER_SPACE_TOP - PAGE, 2 * PAGE, PROT_READ), E_INVAL); /* past the top */
    CHECK_EQ(sys_map(0, PAGE, PROT_WRITE | PROT_EXEC), E_INVAL);            /* W^X */
    CHECK_EQ(sys_map(0, PAGE, 0x80), E_INVAL);                              /* unknown bits */
    CHECK_EQ(sys_map(0, 1UL << 40, PROT_READ), E_NOMEM);                    /* more than there is */
    CHECK_EQ(sys_unmap(0x400000, PAGE), E_INVAL); /* our program, not SYS_MAP's */
    CHECK_EQ(sys_unmap(0x12345, PAGE), E_INVAL);
}

static void test_handles(void)
{
    uint64_t w[4] = {1, 2, 3, 4};
    long notify = sys_notify_create();

    CHECK(notify >= 0);
    CHECK_EQ(sys_send(99, MSGINFO(1, 0), w), E_BADHANDLE); /* no such handle */
    CHECK_EQ(sys_send(-1, MSGINFO(1, 0), w), E_BADHANDLE);
    CHECK_EQ(sys_send(notify, MSGINFO(1, 0), w), E_BADHANDLE); /* wrong kind */
    CHECK_EQ(sys_signal(notify, 0x5), 0);
    CHECK_EQ(sys_signal(notify, 0x2), 0);
    CHECK_EQ(sys_wait(notify), 0x7);
    CHECK_EQ(sys_handle_close(notify), 0);
    CHECK_EQ(sys_handle_close(notify), E_BADHANDLE);
    CHECK_EQ(sys_signal(notify, 1), E_BADHANDLE);
    CHECK_EQ(sys_reply(MSGINFO(1, 0), w), E_INVAL); /* nobody called us */
}

static void test_mailbox_and_long_messages(void)
{
    long ep = sys_endpoint_create(1);
    uint64_t w[4] = {10, 11, 12, 13};
    struct umsg m;

    CHECK(ep >= 0);
    CHECK_EQ(sys_endpoint_create(1000), E_INVAL);
    CHECK_EQ(sys_try_recv(ep, &m), E_EMPTY);
    for (unsigned i = 4; i < 10; i++) {
        ipc_buffer()[i] = 100 + i;
    }
    CHECK_EQ(sys_try_send(ep, MSGINFO(7, 10), w), 0);
    CHECK_EQ(sys_try_send(ep, MSGINFO(8, 0), w), E_FULL);
    for (unsigned i = 4; i < 10; i++) {
        ipc_buffer()[i] = 0;
    }
    CHECK_EQ(sys_try_recv(ep, &m), 0);
    CHECK_EQ(MSGINFO_LABEL(m.info), 7);
    CHECK_EQ(MSGINFO_LENGTH(m.info), 10);
    CHECK_EQ(m.w[3], 13);
    CHECK_EQ(ipc_buffer()[9], 109);
    CHECK_EQ(sys_try_send(ep, MSGINFO(7, IPC_MAX_WORDS + 1), w), E_INVAL);
    CHECK_EQ(sys_handle_close(ep), 0);
}

static void test_handle_transfer(void)
{
    long carrier = sys_endpoint_create(1);
    long passenger = sys_endpoint_create(1);
    uint64_t w[4] = {0};
    struct umsg m;

    CHECK(carrier >= 0 && passenger >= 0);
    CHECK_EQ(sys_try_send(carrier, MSGINFO_WITH_HANDLE(5, 0, passenger), w), 0);
    CHECK_EQ(sys_try_recv(carrier, &m), 0);
    CHECK(MSGINFO_HAS_HANDLE(m.info));
    long copy = (long)MSGINFO_HANDLE(m.info);
    CHECK(copy != passenger && copy != carrier);
    /* The received handle reaches the same endpoint. */
    CHECK_EQ(sys_try_send(copy, MSGINFO(9, 0), w), 0);
    CHECK_EQ(sys_try_recv(passenger, &m), 0);
    CHECK_EQ(MSGINFO_LABEL(m.info), 9);
    CHECK_EQ(sys_try_send(carrier, MSGINFO_WITH_HANDLE(5, 0, 77), w), E_BADHANDLE);
    sys_handle_close(copy);
    sys_handle_close(passenger);
    sys_handle_close(carrier);
}

static void test_server_killed_during_call(void)
{
    long ep = sys_endpoint_create(0);
    long handles[1] = {ep};
    uint64_t w[4] = {1, 0, 0, 0};
    struct umsg reply;

    long server = sys_spawn("fault server", handles, 1);
    CHECK(server >= 0);
    CHECK_EQ(sys_call(ep, MSGINFO(1, 1), w, &reply), E_DEAD);
    CHECK_EQ(sys_task_wait(server), E_DEAD);
    CHECK_EQ(sys_handle_close(server), 0);
    sys_handle_close(ep);
}

/* The same calls through the fast path (up to 4 words) and the slow path
 * (more) must give the same answers: echo adds one to every word. */
static void test_fast_and_slow_ipc_paths_agree(void)
{
    static const uint32_t lengths[] = {0, 1, 4, 5, 17, IPC_MAX_WORDS};
    long ep = sys_endpoint_create(0);
    long handles[1] = {ep};
    long echo = sys_spawn("echo", handles, 1);
    struct umsg reply;

    CHECK(ep >= 0 && echo >= 0);
    for (unsigned round = 0; round < 3; round++) {
        for (unsigned k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
            uint32_t len = lengths[k];
            uint64_t w[4];
            for (unsigned i = 0; i < 4; i++) {
                w[i] = 1000 * len + i;
            }
            for (unsigned i = 4; i < len; i++) {
                ipc_buffer()[i] = 1000 * len + i;
            }
            CHECK_EQ(sys_call(ep, MSGINFO(20 + len, len), w, &reply), 0);
            CHECK_EQ(MSGINFO_LABEL(reply.info), 20 + len);
            CHECK_EQ(MSGINFO_LENGTH(reply.info), len);
            CHECK(reply.badge > 0);
            for (unsigned i = 0; i < 4; i++) {
                CHECK_EQ(reply.w[i], i < len ? 1000 * len + i + 1 : 0);
            }
            for (unsigned i = 4; i < len; i++) {
                CHECK_EQ(ipc_buffer()[i], 1000 * len + i + 1);
            }
        }
    }
    CHECK_EQ(sys_call(ep, MSGINFO(3, 0), NULL, &reply), 0); /* LABEL_QUIT */
    CHECK_EQ(sys_task_wait(echo), 0);
    sys_handle_close(echo);
    sys_handle_close(ep);
}

/* A tiny PRNG (xorshift64*), so the random test is the same every run. */
static uint64_t rand_next(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* An argument a careless or hostile caller might pass. */
static long random_arg(uint64_t *seed, long good_buffer)
{
    static const long interesting[] = {
        0,
        1,
        -1,
        2,
        3,
        4096,
        0x400000,
        (long)0xffff000040200000UL,
        (long)UNMAPPED,
        (long)USER_SPACE_TOP - 1,
        (long)USER_SPACE_TOP,
        (long)(~0UL >> 1),
        31,
        32,
        64,
        65,
    };
    uint64_t r = rand_next(seed);

    switch (r % 4) {
    case 0:
        return interesting[(r >> 8) % (sizeof(interesting) / sizeof(interesting[0]))];
    case 1:
        return good_buffer + (long)((r >> 8) % 8192) - 4096;
    case 2:
        return (long)((r >> 8) % 40); /* small numbers: handles, sizes, depths */
    default:
        return (long)(r >> 1);
    }
}

/*
 * Thousands of system calls with random arguments. Calls that may block
 * for good (recv, call, wait, sleep, task_wait, send) and exit are left out;
 * every other call takes whatever comes. The kernel must answer each one and
 * keep running, and afterwards nothing may have leaked.
 */
static void test_random_syscalls(void)
{
    static const long numbers[] = {
        SYS_YIELD,           SYS_TRY_SEND,      SYS_TRY_RECV,     SYS_SIGNAL, SYS_REPLY,
        SYS_ENDPOINT_CREATE, SYS_NOTIFY_CREATE, SYS_HANDLE_CLOSE, SYS_MAP,    SYS_UNMAP,
        SYS_DEBUG_WRITE,     SYS_TASK_INFO,     SYSCALL_COUNT,    12345,
    };
    static char buffer[8192];
    struct task_info before, after;
    uint64_t seed = 0x5eed5eedULL;
    long good = (long)(uintptr_t)&buffer[4096];

    sys_task_info(&before);
    for (int i = 0; i < 20000; i++) {
        long n = numbers[rand_next(&seed) % (sizeof(numbers) / sizeof(numbers[0]))];
        long a[6];
        for (int k = 0; k < 6; k++) {
            a[k] = random_arg(&seed, good);
        }
        if (n == SYS_DEBUG_WRITE) {
            /* Keep the console readable: only pointers no SYS_MAP can make valid. */
            static const long unprintable[] = {0, (long)0xffff000040200000UL, (long)(~0UL >> 1)};
            a[0] = unprintable[(uint64_t)a[0] % 3];
            a[1] = 1 + (a[1] & 63);
        }
        long r = syscall6(n, a[0], a[1], a[2], a[3], a[4], a[5]);
        if (r < 0 && r < -14) {
            printf("    # call %d: syscall %ld returned %ld, not an error code\n", i, n, r);
            CHECK(!"result is neither >= 0 nor a known error");
            break;
        }
    }
    /* Give back whatever the calls created: handles, and memory they mapped. */
    for (int h = 0; h < 32; h++) {
        sys_handle_close(h);
    }
    for (uint64_t va = USER_MAP_BASE; va < USER_MAP_BASE + 64 * PAGE; va += PAGE) {
        sys_unmap(va, PAGE);
    }
    sys_task_info(&after);
    CHECK_EQ(after.thread_count, before.thread_count);
}

/* ---- two threads of one task ---- */

static long worker_ep;
static uint64_t worker_buffer_va;
static char worker_stack[16384] __attribute__((aligned(16)));

/* Serves calls on worker_ep: every word plus one, until LABEL 3 (quit). */
static void echo_worker(void *arg)
{
    struct umsg msg;

    (void)arg;
    worker_buffer_va = (uint64_t)(uintptr_t)ipc_buffer();
    ipc_buffer()[63] = 0xb0b;
    long err = sys_recv(worker_ep, &msg);
    while (err == 0 && MSGINFO_LABEL(msg.info) != 3) {
        uint32_t len = MSGINFO_LENGTH(msg.info);
        uint64_t w[4] = {msg.w[0] + 1, msg.w[1] + 1, msg.w[2] + 1, msg.w[3] + 1};
        for (unsigned i = 4; i < len; i++) {
            ipc_buffer()[i] += 1;
        }
        err = sys_reply_recv(worker_ep, MSGINFO(MSGINFO_LABEL(msg.info), len), w, &msg);
    }
    sys_reply(MSGINFO(3, 0), NULL);
}

static void test_two_threads_of_one_task(void)
{
    struct task_info before, during, after;
    struct umsg reply;

    sys_task_info(&before);
    worker_ep = sys_endpoint_create(0);
    CHECK(worker_ep >= 0);
    ipc_buffer()[63] = 0xa11ce;
    long id = thread_create(echo_worker, NULL, worker_stack, sizeof(worker_stack));
    CHECK(id > 0);
    sys_task_info(&during);
    CHECK_EQ(during.thread_count, before.thread_count + 1);
    for (uint32_t len = 0; len <= 10; len += 5) {
        uint64_t w[4] = {10, 20, 30, 40};
        for (unsigned i = 4; i < len; i++) {
            ipc_buffer()[i] = 100 + i;
        }
        CHECK_EQ(sys_call(worker_ep, MSGINFO(7, len), w, &reply), 0);
        CHECK_EQ(MSGINFO_LENGTH(reply.info), len);
        CHECK_EQ(reply.w[0], len > 0 ? 11 : 0);
        for (unsigned i = 4; i < len; i++) {
            CHECK_EQ(ipc_buffer()[i], 100 + i + 1);
        }
    }
    /* Each thread has an IPC buffer of its own. */
    CHECK(worker_buffer_va != (uint64_t)(uintptr_t)ipc_buffer());
    CHECK_EQ(ipc_buffer()[63], 0xa11ce);
    CHECK_EQ(sys_call(worker_ep, MSGINFO(3, 0), NULL, &reply), 0);
    for (int i = 0; i < 100; i++) {
        sys_yield(); /* let the worker return from echo_worker and end */
    }
    sys_task_info(&after);
    CHECK_EQ(after.thread_count, before.thread_count);
    sys_handle_close(worker_ep);
}

static long parked_notify;
static char parked_stacks[TASK_MAX_THREADS][4096] __attribute__((aligned(16)));

static void parked_thread(void *arg)
{
    (void)arg;
    sys_wait(parked_notify);
}

static void test_thread_create_limits(void)
{
    struct task_info before, after;
    int made = 0;

    CHECK_EQ(syscall6(SYS_THREAD_CREATE, 0x400002, (long)&parked_stacks[1][4096], 0, 0, 0, 0),
             E_INVAL); /* misaligned entry */
    CHECK_EQ(syscall6(SYS_THREAD_CREATE, 0x400000, (long)&parked_stacks[1][4095], 0, 0, 0, 0),
             E_INVAL); /* misaligned stack */
    CHECK_EQ(syscall6(SYS_THREAD_CREATE, (long)0xffff000040200000UL, (long)&parked_stacks[1][4096],
                      0, 0, 0, 0),
             E_INVAL); /* kernel entry */
    sys_task_info(&before);
    parked_notify = sys_notify_create();
    for (int i = 0; i < TASK_MAX_THREADS; i++) {
        long id = thread_create(parked_thread, NULL, parked_stacks[i], sizeof(parked_stacks[i]));
        if (id < 0) {
            CHECK_EQ(id, E_NOSPC);
            break;
        }
        made++;
    }
    CHECK_EQ(made, TASK_MAX_THREADS - 1); /* this thread is the sixteenth */
    for (int i = 0; i < made; i++) {
        sys_signal(parked_notify, 1);
        sys_yield();
    }
    for (int i = 0; i < 100; i++) {
        sys_yield();
    }
    sys_task_info(&after);
    CHECK_EQ(after.thread_count, before.thread_count);
    sys_handle_close(parked_notify);
}

static void test_a_fault_kills_every_thread_of_the_task(void)
{
    struct task_info before, after;

    sys_task_info(&before);
    long task = sys_spawn("fault thread", NULL, 0);
    CHECK(task >= 0);
    CHECK_EQ(sys_task_wait(task), E_DEAD);
    CHECK_EQ(sys_handle_close(task), 0);
    sys_task_info(&after);
    CHECK_EQ(after.thread_count, before.thread_count);
    CHECK_EQ(after.free_frames, before.free_frames);
}

/* An interrupt delivered as a notification, as a user-mode driver gets it.
 * init passes the interrupt-control right as our handle 0. No device raises
 * INTID 100 on QEMU virt, so the test makes it pending itself. */
static void test_irq_to_notification(void)
{
    const long irq_control = 0;
    const uint32_t irq = 100;
    long n = sys_notify_create();

    CHECK(n > 0);
    CHECK_EQ(sys_irq_bind(irq_control, 27, n, 3), E_INVAL);   /* a PPI: the kernel's kind */
    CHECK_EQ(sys_irq_bind(irq_control, 5000, n, 3), E_INVAL); /* no such line */
    CHECK_EQ(sys_irq_bind(n, irq, n, 3), E_BADHANDLE);        /* a notification is no right */
    CHECK_EQ(sys_irq_bind(irq_control, irq, 99, 3), E_BADHANDLE);
    CHECK_EQ(sys_irq_trigger(irq_control, irq), E_PERM); /* not bound yet */
    CHECK_EQ(sys_irq_bind(irq_control, irq, n, 3), 0);
    CHECK_EQ(sys_irq_bind(irq_control, irq, n, 3), E_BUSY);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(sys_irq_trigger(irq_control, irq), 0);
        CHECK_EQ(sys_wait(n), 1 << 3);
        CHECK_EQ(sys_irq_ack(irq_control, irq), 0);
    }
    CHECK_EQ(sys_irq_ack(irq_control, irq + 1), E_PERM);
    sys_handle_close(n); /* the binding keeps it alive until this task ends */
}

static void test_spawn_exit_cycles(void)
{
    struct task_info before, after;

    CHECK_EQ(sys_spawn("no-such-program", NULL, 0), E_NOENT);
    /* Warm up once, so one-time allocations do not count. */
    long first = sys_spawn("fault ok", NULL, 0);
    CHECK_EQ(sys_task_wait(first), 0);
    CHECK_EQ(sys_handle_close(first), 0);
    sys_task_info(&before);
    for (int i = 0; i < 1000; i++) {
        long task = sys_spawn("fault ok", NULL, 0);
        if (task < 0 || sys_task_wait(task) != 0 || sys_handle_close(task) != 0) {
            printf("    # cycle %d: spawn returned %ld\n", i, task);
            CHECK(!"spawn/exit failed");
            break;
        }
    }
    sys_task_info(&after);
    CHECK_EQ(after.free_frames, before.free_frames);
    CHECK_EQ(after.thread_count, before.thread_count);
}

static void test_fp_across_preemption(void)
{
    long a = sys_spawn("fpu 3", NULL, 0);
    long b = sys_spawn("fpu 7", NULL, 0);

    CHECK(a >= 0 && b >= 0);
    CHECK_EQ(sys_task_wait(a), 0);
    CHECK_EQ(sys_task_wait(b), 0);
    sys_handle_close(a);
    sys_handle_close(b);
}

int main(const char *arg, size_t arg_len)
{
    (void)arg;
    (void)arg_len;
    run("unknown_syscall", test_unknown_syscall);
    run("simple_calls", test_simple_calls);
    run("bad_pointers", test_bad_pointers);
    run("unterminated_string", test_unterminated_string);
    run("map_unmap", test_map_unmap);
    run("handles", test_handles);
    run("mailbox_and_long_messages", test_mailbox_and_long_messages);
    run("handle_transfer", test_handle_transfer);
    run("server_killed_during_call", test_server_killed_during_call);
    run("fast_and_slow_ipc_paths_agree", test_fast_and_slow_ipc_paths_agree);
    run("two_threads_of_one_task", test_two_threads_of_one_task);
    run("thread_create_limits", test_thread_create_limits);
    run("a_fault_kills_every_thread_of_the_task", test_a_fault_kills_every_thread_of_the_task);
    run("irq_to_notification", test_irq_to_notification);
    run("spawn_exit_cycles", test_spawn_exit_cycles);
    run("random_syscalls", test_random_syscalls);
    run("fp_across_preemption", test_fp_across_preemption);
    printf("usertest: %d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed;
}
