/*
 * fuzz: random system calls at scale. Several worker tasks, of several
 * threads each, call every system call with random numbers, handles
 * (valid and not), pointers, lengths and flags, while the supervisor kills
 * a worker every few milliseconds and starts a fresh one. Run at
 * slice_ms=1, so a slice can end at any instruction of any call.
 *
 *   fuzz run [SEED [CALLS]]  supervise until CALLS system calls were made
 *   fuzz worker SEED         one worker (the supervisor starts them)
 *
 * ("run" is there because a worker may spawn this program by accident: a
 * random pointer can land on the name "fuzz" that task_info wrote into its
 * memory. Without "run", such a copy only says how to use it.)
 *
 * Every result must be a success or one of the kernel's error codes: a
 * worker that sees anything else prints the call and the result and ends
 * with ODD_RESULT_STATUS, and the supervisor counts such ends. At the end
 * every worker is killed, and the kernel's counts of every object kind
 * must be back where they were before the first one started. Last line:
 * "fuzz: N calls, seed S, K results that are no error code, nothing leaked"
 * (or "... LEAKED"); the run fails unless K is 0 and nothing leaked. A
 * kernel fault stops the machine before that line: scripts/robustness.py
 * counts those from the serial log. The seed fixes what each worker does;
 * the interleaving still depends on timing.
 */
#include "utest.h"

#define PAGE           4096UL
#define WORKERS        4
#define WORKER_THREADS 3
#define HANDLE_RANGE   40 /* handle numbers tried: some live, most not */
#define THREAD_STACKS  8

/* How a worker ends when a call returned something that is neither a
 * success nor an error code: a status no random SYS_EXIT of a worker gives
 * in practice (random_number() never returns it but by a 1 in 2^64 chance). */
#define ODD_RESULT_STATUS 0x0dd0dd

/* ---- a worker: random calls ---- */

static char scratch[3 * PAGE] __attribute__((aligned(PAGE)));
static char thread_stacks[THREAD_STACKS][8192] __attribute__((aligned(16)));
static volatile int thread_stack_busy[THREAD_STACKS];
static uint64_t mapped_va; /* the last thing SYS_MAP gave us: a pointer that may be live */

/* Programs a worker may start: all end by themselves, most by a fault. */
static const char *const programs[] = {"fault ok", "fault null", "fault brk", "no-such-program",
                                       "fault undef"};

static void worker_loop(uint64_t seed);

/* A thread started with a good entry: it fuzzes too, on its own seed. */
static void fuzz_thread(void *arg)
{
    worker_loop((uint64_t)(uintptr_t)arg);
}

/* A pointer a careless or hostile caller might pass. */
static uint64_t random_pointer(uint64_t *seed)
{
    uint64_t r = utest_rand(seed);

    switch (r % 10) {
    case 0:
        return 0;
    case 1:
        return 0xffff000040200000ULL + (r >> 8) % PAGE; /* the kernel */
    case 2:
        return 0x400000 + (r >> 8) % PAGE; /* our code: readable, not writable */
    case 3:
        return IPC_BUFFER_VA + ((r >> 8) % (TASK_MAX_THREADS + 1)) * PAGE;
    case 4:
        return mapped_va + (r >> 8) % (2 * PAGE);
    case 5:
        return USER_SPACE_TOP - 8 + (r >> 8) % 16;
    case 6:
        return r >> 16; /* anywhere */
    default:
        return (uint64_t)(uintptr_t)scratch + PAGE + (r >> 8) % PAGE - 8; /* mostly good */
    }
}

/* A size, a count, a depth, a length, a bit number: small, edge or huge. */
static uint64_t random_number(uint64_t *seed)
{
    static const uint64_t edges[] = {0,    1,    2,    3,       4,     5,          7,         8,
                                     9,    15,   16,   17,      31,    32,         33,        62,
                                     63,   64,   65,   100,     127,   128,        255,       4095,
                                     4096, 4097, 8192, 1 << 20, ~0ULL, ~0ULL >> 1, 1ULL << 32};
    uint64_t r = utest_rand(seed);

    switch (r % 4) {
    case 0:
        return edges[(r >> 8) % (sizeof(edges) / sizeof(edges[0]))];
    case 1:
        return ((r >> 8) % 16) * PAGE;
    case 2:
        return (r >> 8) % 128;
    default:
        return r;
    }
}

static uint64_t random_handle(uint64_t *seed)
{
    uint64_t r = utest_rand(seed);

    return r % 8 == 0 ? r >> 8 : r % HANDLE_RANGE;
}

static uint64_t random_msginfo(uint64_t *seed)
{
    uint64_t r = utest_rand(seed);
    uint32_t length = (r >> 8) % 4 == 0 ? (uint32_t)((r >> 12) % 128) : (uint32_t)((r >> 12) % 8);

    if ((r >> 20) % 3 == 0) {
        return MSGINFO_WITH_HANDLE(r >> 32, length, random_handle(seed));
    }
    return (r >> 20) % 7 == 0 ? r : MSGINFO(r >> 32, length);
}

/* Arguments shaped for the call (mostly), or anything at all (sometimes). */
static void random_args(uint64_t *seed, long n, uint64_t a[6])
{
    for (int k = 0; k < 6; k++) {
        a[k] = random_number(seed);
    }
    if (utest_rand(seed) % 16 == 0) {
        return; /* shapeless */
    }
    switch (n) {
    case SYS_SEND:
    case SYS_CALL:
    case SYS_REPLY:
    case SYS_REPLY_RECV:
    case SYS_TRY_SEND:
        a[0] = random_handle(seed);
        a[1] = random_msginfo(seed);
        break;
    case SYS_RECV:
    case SYS_TRY_RECV:
    case SYS_WAIT:
    case SYS_HANDLE_CLOSE:
    case SYS_TASK_WAIT:
    case SYS_TASK_KILL:
        a[0] = random_handle(seed);
        break;
    case SYS_SIGNAL:
        a[0] = random_handle(seed);
        break;
    case SYS_SLEEP:
        a[0] %= 5000000; /* up to 5 ms, mostly; shapeless calls may sleep for ever */
        break;
    case SYS_SPAWN: {
        uint64_t r = utest_rand(seed);
        a[0] = r % 4 ? (uint64_t)(uintptr_t)programs[r % 5] : random_pointer(seed);
        a[1] = random_pointer(seed);
        a[2] %= 6;
        break;
    }
    case SYS_MAP:
        a[0] = utest_rand(seed) % 3 ? 0 : random_pointer(seed) & ~(PAGE - 1);
        a[1] = (1 + a[1] % 32) * PAGE;
        a[2] %= 8;
        break;
    case SYS_UNMAP:
        a[0] = utest_rand(seed) % 2 ? mapped_va : random_pointer(seed) & ~(PAGE - 1);
        a[1] = (1 + a[1] % 8) * PAGE;
        break;
    case SYS_DEBUG_WRITE: {
        /* Keep the console readable: pointers that cannot be read, or a blank. */
        static const uint64_t unreadable[] = {0, 0xffff000040200000ULL, USER_SPACE_TOP - 1,
                                              0x0000200000000000ULL};
        uint64_t r = utest_rand(seed);
        a[0] = r % 4 ? unreadable[(r >> 8) % 4] : (uint64_t)(uintptr_t) " ";
        a[1] = r % 4 ? a[1] % 64 : 1;
        break;
    }
    case SYS_TASK_INFO:
    case SYS_KERNEL_COUNTS:
        a[0] = random_pointer(seed);
        break;
    case SYS_IRQ_BIND:
    case SYS_IRQ_ACK:
    case SYS_IRQ_TRIGGER:
        a[0] = utest_rand(seed) % 2 ? 3 : random_handle(seed); /* 3: the right */
        a[1] = 30 + utest_rand(seed) % 80;
        a[2] = random_handle(seed);
        a[3] %= 70;
        break;
    default:
        break;
    }
}

/* Starts a thread: most with a good entry and a free stack, some not. */
static long random_thread_create(uint64_t *seed)
{
    uint64_t r = utest_rand(seed);
    unsigned k = (unsigned)((r >> 8) % THREAD_STACKS);

    if (r % 8 == 0) {
        return syscall6(SYS_THREAD_CREATE, (long)random_pointer(seed), (long)random_pointer(seed),
                        0, 0, 0, 0);
    }
    if (__atomic_exchange_n(&thread_stack_busy[k], 1, __ATOMIC_ACQUIRE) != 0) {
        return E_BUSY;
    }
    /* The stack stays taken for good: the thread fuzzes until the task dies. */
    return thread_create(fuzz_thread, (void *)(uintptr_t)utest_rand(seed), thread_stacks[k],
                         sizeof(thread_stacks[k]));
}

static void worker_loop(uint64_t seed)
{
    for (;;) {
        uint64_t r = utest_rand(&seed);
        long n = (long)(r % (SYSCALL_COUNT + 2));
        uint64_t a[6];
        long result;

        if (n == SYS_EXIT || n == SYS_THREAD_EXIT) {
            if (r % 64 != 0) {
                continue; /* rarely: ending is the one call whose outcome is known */
            }
        }
        if (n == SYS_THREAD_CREATE) {
            result = random_thread_create(&seed);
        } else {
            random_args(&seed, n, a);
            result =
                syscall6(n, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
        }
        if (n == SYS_MAP && result > 0) {
            mapped_va = (uint64_t)result;
        }
        /* No call may return below E_LOWEST, with no exception: every
         * call returns 0, a count, a handle, a thread id, an address below
         * USER_SPACE_TOP or an error code. The two that return a word of
         * someone else's choosing cannot go negative either: SYS_WAIT
         * returns 63 bits (the kernel drops bit 63 of what is signalled), and
         * SYS_TASK_WAIT gives the status of a task a worker started (the
         * fault programs: 0, or E_DEAD when a fault or a kill ended it). */
        if (result < E_LOWEST) {
            printf("fuzz: call %ld returned %ld, which is no error code\n", n, result);
            sys_exit(ODD_RESULT_STATUS);
        }
    }
}

static int worker(uint64_t seed)
{
    for (int i = 1; i < WORKER_THREADS; i++) {
        if (__atomic_exchange_n(&thread_stack_busy[i], 1, __ATOMIC_ACQUIRE) == 0) {
            thread_create(fuzz_thread, (void *)(uintptr_t)(seed * 31 + (uint64_t)i),
                          thread_stacks[i], sizeof(thread_stacks[i]));
        }
    }
    worker_loop(seed);
    return 0;
}

/* ---- the supervisor ---- */

static uint64_t parse_u64(const char **p, const char *end, uint64_t fallback)
{
    uint64_t v = 0;
    bool any = false;

    while (*p < end && **p == ' ') {
        (*p)++;
    }
    while (*p < end && **p >= '0' && **p <= '9') {
        v = v * 10 + (uint64_t)(**p - '0');
        (*p)++;
        any = true;
    }
    return any ? v : fallback;
}

/* Starts worker number generation; the handle, or an error. */
static long spawn_worker(uint64_t seed, uint64_t generation, const long *handles)
{
    char command[48];

    ksnprintf(command, sizeof(command), "fuzz worker %llu",
              (unsigned long long)(seed * 100003 + generation));
    return sys_spawn(command, handles, 4);
}

/* Kills a worker (if it still runs) and returns 1 if it had ended by
 * itself on a result that is no error code, else 0. */
static int end_worker(long *worker)
{
    long status = 0;

    if (*worker >= 0) {
        sys_task_kill(*worker); /* a task that already ended keeps its status */
        status = sys_task_wait(*worker);
        sys_handle_close(*worker);
        *worker = -1;
    }
    return status == ODD_RESULT_STATUS;
}

static int supervise(uint64_t seed, uint64_t calls)
{
    struct kernel_counts start, now;
    long workers[WORKERS];
    uint64_t generation = 0;
    uint64_t kills = 0;
    uint64_t odd = 0; /* workers that saw a result that is no error code */
    bool counted = true;
    uint64_t rng = seed ^ 0x9e3779b97f4a7c15ULL;

    if (sys_kernel_counts(&start) != 0) {
        printf("fuzz: the kernel's counts cannot be read\n");
        return 1;
    }
    /* What the workers share, at handles 0-3: a mailbox, a rendezvous, a
     * notification, and the interrupt-control right init gave us. */
    long handles[4] = {sys_endpoint_create(4), sys_endpoint_create(0), sys_notify_create(), 0};
    if (handles[0] < 0 || handles[1] < 0 || handles[2] < 0) {
        printf("fuzz: cannot create the shared objects\n");
        return 1;
    }
    printf("fuzz: seed %llu, %llu calls, %d workers of %d threads\n", (unsigned long long)seed,
           (unsigned long long)calls, WORKERS, WORKER_THREADS);
    for (int i = 0; i < WORKERS; i++) {
        workers[i] = spawn_worker(seed, generation++, handles);
    }
    uint64_t made = 0;
    uint64_t next_report = calls / 10;
    while (made < calls) {
        sys_sleep(500000 + utest_rand(&rng) % 3000000);
        int i = (int)(utest_rand(&rng) % WORKERS);
        odd += (uint64_t)end_worker(&workers[i]);
        kills++;
        workers[i] = spawn_worker(seed, generation++, handles);
        if (sys_kernel_counts(&now) != 0) {
            printf("fuzz: the kernel's counts cannot be read\n");
            counted = false;
            break; /* end the workers all the same */
        }
        made = now.syscalls - start.syscalls;
        if (made >= next_report) {
            printf("fuzz: %llu calls so far, %llu workers killed\n", (unsigned long long)made,
                   (unsigned long long)kills);
            next_report += calls / 10;
        }
    }
    for (int i = 0; i < WORKERS; i++) {
        odd += (uint64_t)end_worker(&workers[i]);
    }
    for (int h = 0; h < 3; h++) {
        sys_handle_close(handles[h]);
    }
    /* A worker may have left a blank of its own (SYS_DEBUG_WRITE) on the
     * line: the verdict starts on a fresh one. */
    printf("\n");
    if (!counted) {
        return 1;
    }
    bool leaked = utest_counts_settle(&start, "fuzz") != 0;
    printf("fuzz: %llu calls, seed %llu, %llu results that are no error code, %s\n",
           (unsigned long long)made, (unsigned long long)seed, (unsigned long long)odd,
           leaked ? "the kernel holds more than before: LEAKED" : "nothing leaked");
    return leaked || odd != 0 ? 1 : 0;
}

int main(const char *arg, size_t arg_len)
{
    const char *p = arg;
    const char *end = arg + arg_len;

    if (arg_len >= 6 && memcmp(arg, "worker", 6) == 0) {
        p += 6;
        return worker(parse_u64(&p, end, 1));
    }
    if (arg_len < 3 || memcmp(arg, "run", 3) != 0) {
        printf("fuzz: usage: fuzz run [SEED [CALLS]]\n");
        return 2;
    }
    p += 3;
    uint64_t seed = parse_u64(&p, end, 1);
    uint64_t calls = parse_u64(&p, end, 1000000);
    return supervise(seed, calls);
}
