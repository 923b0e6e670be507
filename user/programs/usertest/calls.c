/* usertest: system call numbers, pointers, strings and memory (see usertest.h). */
#include "usertest.h"

void test_unknown_syscall(void)
{
    CHECK_EQ(syscall6(SYSCALL_COUNT, 0, 0, 0, 0, 0, 0), E_NOSYS);
    CHECK_EQ(syscall6(999, 0, 0, 0, 0, 0, 0), E_NOSYS);
    CHECK_EQ(syscall6(-1, 0, 0, 0, 0, 0, 0), E_NOSYS);
}

void test_simple_calls(void)
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
void test_bad_pointers(void)
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
void test_unterminated_string(void)
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

void test_map_unmap(void)
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
        (long)IPC_BUFFER_VA,
        31,
        32,
        64,
        65,
    };
    uint64_t r = utest_rand(seed);

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
 * Thousands of system calls with random arguments, in a task of their own
 * (child:random). Calls that may block for good (recv, call, wait, sleep,
 * task_wait, send) and those that end threads are left out; every other
 * call takes whatever comes. The kernel must answer each one with a result
 * or a known error code; the child's exit status counts the other answers.
 */
int child_random_syscalls(void)
{
    static const long numbers[] = {
        SYS_YIELD,
        SYS_TRY_SEND,
        SYS_TRY_RECV,
        SYS_SIGNAL,
        SYS_REPLY,
        SYS_ENDPOINT_CREATE,
        SYS_NOTIFY_CREATE,
        SYS_HANDLE_CLOSE,
        SYS_MAP,
        SYS_UNMAP,
        SYS_DEBUG_WRITE,
        SYS_TASK_INFO,
        SYS_KERNEL_COUNTS,
        SYS_FAILPOINT,
        SYS_TASK_KILL,
        SYSCALL_COUNT,
        12345,
    };
    static char buffer[8192];
    uint64_t seed = 0x5eed5eedULL;
    long good = (long)(uintptr_t)&buffer[4096];
    int bad_answers = 0;

    for (int i = 0; i < 20000; i++) {
        long n = numbers[utest_rand(&seed) % (sizeof(numbers) / sizeof(numbers[0]))];
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
        if (r < E_LOWEST) {
            printf("    # call %d: syscall %ld returned %ld, not an error code\n", i, n, r);
            bad_answers++;
        }
    }
    return bad_answers; /* whatever the calls created goes when this task ends */
}

void test_random_syscalls(void)
{
    long child = usertest_spawn_child("random", NULL, 0);

    CHECK(child >= 0);
    CHECK_EQ(sys_task_wait(child), 0);
    CHECK_EQ(sys_handle_close(child), 0);
}
