/*
 * faultinj: every kernel allocation a scenario makes, made to fail in
 * turn. For each scenario it learns how many allocation points the
 * scenario passes (arming fault injection with SYS_FAILPOINT and counting),
 * then runs it again once per point with exactly that allocation failing:
 * each run must see an error code where the kernel ran out, and afterwards
 * the kernel's counts of every object kind must be back where they were.
 * A panic stops the kernel before the last line: scripts/robustness.py
 * counts those from the serial log.
 *
 *   faultinj                   every scenario, every point
 *   faultinj SCENARIO          one scenario
 *   faultinj SCENARIO N        one scenario, only point N (from 1)
 *   faultinj child-*           the helper tasks the scenarios spawn
 *
 * A scenario name that matches none, a point number that is no number, or
 * one past the scenario's last point is an error ("faultinj: error: ...",
 * status 2): a selection that runs nothing must not pass.
 *
 * Needs "faultinject" on the kernel command line ("make fault-inject").
 * Last line: "fault injection: N allocation points failed in turn, L leaks".
 */
#include "utest.h"

#define PAGE 4096UL

/* A scenario does its work and tidies up after itself, whatever fails;
 * it returns how many results were neither success nor an error code. */
struct scenario {
    const char *name;
    int (*run)(void);
};

static int bad_results;

/* A result must be a success or one of the kernel's error codes. */
static long expect_result(long r)
{
    if (r < E_LOWEST) {
        printf("    # result %ld is not an error code\n", r);
        bad_results++;
    }
    return r;
}

static int scenario_spawn(void)
{
    long ep = expect_result(sys_endpoint_create(0));
    long n = expect_result(sys_notify_create());
    long handles[2] = {ep, n};

    if (ep >= 0 && n >= 0) {
        long t = expect_result(sys_spawn("fault ok", handles, 2));
        if (t >= 0) {
            expect_result(sys_task_wait(t));
            sys_handle_close(t);
        }
    }
    sys_handle_close(n);
    sys_handle_close(ep);
    return 0;
}

static int scenario_map(void)
{
    long va = expect_result(sys_map(0, 16 * PAGE, PROT_READ | PROT_WRITE));

    if (va > 0) {
        ((volatile uint64_t *)va)[0] = 1;
        /* A hole in the middle: the tail becomes a region of its own. */
        expect_result(sys_unmap((uint64_t)va + 4 * PAGE, 4 * PAGE));
        /* What is left, page by page from the top: that never needs a new
         * region, so it cannot fail whatever failed before. */
        for (int page = 15; page >= 0; page--) {
            sys_unmap((uint64_t)va + (uint64_t)page * PAGE, PAGE);
        }
    }
    long fixed = expect_result(sys_map(USER_MAP_BASE + (1UL << 30), 3 * PAGE, PROT_READ));
    if (fixed > 0) {
        sys_unmap((uint64_t)fixed, 3 * PAGE);
    }
    return 0;
}

static char thread_stacks[3][4096] __attribute__((aligned(16)));
static volatile int threads_done;

static void counting_thread(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&threads_done, 1, __ATOMIC_RELEASE);
}

static int scenario_thread(void)
{
    int started = 0;

    threads_done = 0;
    for (int i = 0; i < 3; i++) {
        long id = expect_result(
            thread_create(counting_thread, NULL, thread_stacks[i], sizeof(thread_stacks[i])));
        started += id > 0;
    }
    while (__atomic_load_n(&threads_done, __ATOMIC_ACQUIRE) < started) {
        sys_yield();
    }
    for (int i = 0; i < 10; i++) {
        sys_yield(); /* let the threads finish exiting */
    }
    return 0;
}

/* child-echo: takes a call on handle 0 and answers with the handle it was
 * given (if any), then ends. */
static int child_echo(void)
{
    struct umsg m;

    if (sys_recv(0, &m) != 0) {
        return 1;
    }
    uint64_t info = MSGINFO_HAS_HANDLE(m.info) ? MSGINFO_WITH_HANDLE(2, 0, MSGINFO_HANDLE(m.info))
                                               : MSGINFO(2, 0);
    sys_reply(info, NULL);
    return 0;
}

static int scenario_ipc_handles(void)
{
    long mailbox = expect_result(sys_endpoint_create(2));
    long passenger = expect_result(sys_notify_create());
    long ep = expect_result(sys_endpoint_create(0));
    uint64_t w[4] = {0};
    struct umsg m;

    if (mailbox >= 0 && passenger >= 0) {
        /* Through a mailbox: queued with a reference, then into our table. */
        if (expect_result(sys_try_send(mailbox, MSGINFO_WITH_HANDLE(1, 0, passenger), w)) == 0 &&
            expect_result(sys_try_recv(mailbox, &m)) == 0 && MSGINFO_HAS_HANDLE(m.info)) {
            sys_handle_close((long)MSGINFO_HANDLE(m.info));
        }
        /* Queued, and left there: closing the mailbox drops it. */
        expect_result(sys_try_send(mailbox, MSGINFO_WITH_HANDLE(1, 0, passenger), w));
    }
    if (ep >= 0 && passenger >= 0) {
        /* To another task and back, on a call and its reply. */
        long child = expect_result(sys_spawn("faultinj child-echo", &ep, 1));
        if (child >= 0) {
            if (expect_result(sys_call(ep, MSGINFO_WITH_HANDLE(1, 0, passenger), w, &m)) == 0 &&
                MSGINFO_HAS_HANDLE(m.info)) {
                sys_handle_close((long)MSGINFO_HANDLE(m.info));
            }
            expect_result(sys_task_wait(child));
            sys_handle_close(child);
        }
    }
    sys_handle_close(ep);
    sys_handle_close(passenger);
    sys_handle_close(mailbox);
    return 0;
}

/* child-hoard: takes memory, a thread, an endpoint, a notification and an
 * interrupt binding (with the right at handle 1), says so on handle 0, and
 * waits to be killed. */
static void hoard_thread(void *arg)
{
    sys_wait((long)(uintptr_t)arg);
}

static int child_hoard(void)
{
    uint64_t w[4] = {0};
    long n = sys_notify_create();

    sys_map(0, 8 * PAGE, PROT_READ | PROT_WRITE);
    sys_endpoint_create(2);
    if (n > 0) {
        sys_irq_bind(1, 101, n, 5); /* no device raises INTID 101 on QEMU virt */
        thread_create(hoard_thread, (void *)(uintptr_t)n, thread_stacks[0],
                      sizeof(thread_stacks[0]));
    }
    sys_send(0, MSGINFO(1, 0), w); /* ready, whatever failed */
    for (;;) {
        sys_wait(n > 0 ? n : 0);
        sys_yield();
    }
    return 0;
}

static int scenario_teardown(void)
{
    long ep = expect_result(sys_endpoint_create(0));
    struct umsg m;

    if (ep >= 0) {
        long handles[2] = {ep, 0}; /* init gave us the interrupt-control right at 0 */
        long child = expect_result(sys_spawn("faultinj child-hoard", handles, 2));
        if (child >= 0) {
            expect_result(sys_recv(ep, &m));
            expect_result(sys_task_kill(child));
            expect_result(sys_task_wait(child));
            sys_handle_close(child);
        }
    }
    sys_handle_close(ep);
    return 0;
}

static const struct scenario scenarios[] = {
    {"spawn", scenario_spawn},       {"map", scenario_map},
    {"thread", scenario_thread},     {"ipc_handles", scenario_ipc_handles},
    {"teardown", scenario_teardown},
};

static uint64_t total_points;
static int total_leaks;

/* Runs s with allocation point nth failing (0: none, only count); returns
 * how many points it passed, or -1 if fault injection is not allowed. */
static long run_with_failure(const struct scenario *s, uint64_t nth)
{
    struct kernel_counts before;
    char where[48];

    if (sys_kernel_counts(&before) != 0) {
        printf("faultinj: error: the kernel's counts cannot be read\n");
        return -1;
    }
    if (sys_failpoint(nth ? nth : UINT64_MAX) < 0) {
        printf("faultinj: error: fault injection is off: boot with \"faultinject\"\n");
        return -1;
    }
    s->run();
    long passed = sys_failpoint(0);
    ksnprintf(where, sizeof(where), "%s, point %llu", s->name, (unsigned long long)nth);
    if (utest_counts_settle(&before, where) != 0) {
        printf("faultinj: %s: allocation point %llu failing leaked kernel objects\n", s->name,
               (unsigned long long)nth);
        total_leaks++;
    }
    return passed;
}

/* Runs s, every point or only point only; 0, or -1 after an error. */
static int run_scenario(const struct scenario *s, uint64_t only)
{
    long points = run_with_failure(s, 0);

    if (points < 0) {
        return -1;
    }
    if (only > (uint64_t)points) {
        printf("faultinj: error: scenario %s passes %ld allocation points: point %llu is past "
               "the last\n",
               s->name, points, (unsigned long long)only);
        return -1;
    }
    uint64_t first = only ? only : 1;
    uint64_t last = only ? only : (uint64_t)points;
    for (uint64_t nth = first; nth <= last; nth++) {
        run_with_failure(s, nth);
    }
    uint64_t failed = last >= first ? last - first + 1 : 0;
    total_points += failed;
    printf("faultinj: %s: %ld allocation points; %llu made to fail in turn\n", s->name, points,
           (unsigned long long)failed);
    return 0;
}

/* Splits "SCENARIO N" into the scenario's name and N (0 if absent);
 * returns -1 if N is there but is no number from 1 up. */
static int parse_nth(const char *arg, size_t len, size_t *name_len, uint64_t *nth)
{
    size_t i;

    *nth = 0;
    *name_len = 0;
    while (*name_len < len && arg[*name_len] != ' ') {
        (*name_len)++;
    }
    if (*name_len + 1 >= len) {
        return 0; /* no N */
    }
    for (i = *name_len + 1; i < len && i < *name_len + 1 + 18; i++) {
        if (arg[i] < '0' || arg[i] > '9') {
            return -1;
        }
        *nth = *nth * 10 + (uint64_t)(arg[i] - '0');
    }
    return i == len && *nth > 0 ? 0 : -1;
}

int main(const char *arg, size_t arg_len)
{
    size_t name_len;
    uint64_t nth;
    bool matched = false;

    if (utest_arg_is(arg, arg_len, "child-echo")) {
        return child_echo();
    }
    if (utest_arg_is(arg, arg_len, "child-hoard")) {
        return child_hoard();
    }
    if (parse_nth(arg, arg_len, &name_len, &nth) < 0) {
        printf("faultinj: error: '%.*s' is no allocation point number (they count from 1)\n",
               (int)(arg_len - name_len - 1), arg + name_len + 1);
        return 2;
    }
    for (unsigned i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
        if (name_len == 0 || utest_arg_is(arg, name_len, scenarios[i].name)) {
            matched = true;
            if (run_scenario(&scenarios[i], nth) < 0) {
                return 2;
            }
        }
    }
    if (!matched) { /* a misspelt name must not pass as "0 allocation points" */
        char names[96] = "";
        int used = 0;
        for (unsigned i = 0;
             i < sizeof(scenarios) / sizeof(scenarios[0]) && used < (int)sizeof(names); i++) {
            used += ksnprintf(names + used, sizeof(names) - (size_t)used, " %s", scenarios[i].name);
        }
        printf("faultinj: error: no scenario named '%.*s'; the scenarios:%s\n", (int)name_len, arg,
               names);
        return 2;
    }
    printf("fault injection: %llu allocation points failed in turn, %d leaks\n",
           (unsigned long long)total_points, total_leaks);
    return total_leaks + bad_results;
}
