/*
 * racetest: system calls racing each other. Threads of one task, and
 * several tasks, change the same kernel state at once while the time slice
 * (slice_ms=1 on the kernel command line) ends at arbitrary instructions,
 * and tasks are killed in the middle of what they do. Each scenario runs a
 * fixed number of operations from a fixed seed; utest_run then checks that
 * every object and frame came back.
 *
 *   racetest                  every scenario, one after another
 *   racetest NAME             one scenario
 *   racetest child-* ...      the child programs the scenarios spawn
 *
 * The first five scenarios and task_map_outlives_handle are attacks that
 * once broke the kernel (docs/security.md lists them); "mixed" is all of
 * it at once.
 */
#include "utest.h"

#define PAGE 4096UL

static volatile int stop_workers;
static volatile int workers_done;
static char worker_stacks[4][16384] __attribute__((aligned(16)));

static void start_worker(unsigned i, void (*fn)(void *), void *arg)
{
    CHECK(thread_create(fn, arg, worker_stacks[i], sizeof(worker_stacks[i])) > 0);
}

static void stop_and_join_workers(int count)
{
    stop_workers = 1;
    while (workers_done < count) {
        sys_yield();
    }
}

/* ---- one task: two threads against each other ---- */

/* Maps, writes and unmaps 1 to 16 pages at a time until told to stop. */
static void mapper(void *arg)
{
    uint64_t seed = (uint64_t)(uintptr_t)arg;

    while (!stop_workers) {
        size_t pages = 1 + utest_rand(&seed) % 16;
        long va = sys_map(0, pages * PAGE, PROT_READ | PROT_WRITE);
        if (va > 0) {
            for (size_t i = 0; i < pages; i++) {
                ((volatile uint64_t *)(va + i * PAGE))[0] = 0xfeedfacecafe0000ULL | i;
            }
            sys_unmap((uint64_t)va, pages * PAGE);
        }
    }
    workers_done++;
}

/* One thread spawns and reaps tasks while another maps, writes and unmaps:
 * both take frames and change page tables at once. */
static void race_map_spawn(void)
{
    stop_workers = 0;
    workers_done = 0;
    start_worker(0, mapper, (void *)0x1234);
    for (int i = 0; i < 300; i++) {
        long t = sys_spawn("fault ok", NULL, 0);
        if (t < 0) {
            CHECK_EQ(t, 0);
            break;
        }
        CHECK_EQ(sys_task_wait(t), 0);
        sys_handle_close(t);
    }
    stop_and_join_workers(1);
}

/* The name spawn reads lives in a page another thread keeps unmapping and
 * mapping again. No such program: spawn fails right after copying the name
 * in, so the spawning thread spends its time in the copy, where the race is. */
static volatile uint64_t flicker_va;
static const char flicker_name[] = "no-such-program-with-a-long-name-that-takes-long-to-copy-in";

static void flicker(void *arg)
{
    (void)arg;
    while (!stop_workers) {
        sys_unmap(flicker_va, PAGE);
        long va = sys_map(flicker_va, PAGE, PROT_READ | PROT_WRITE);
        if (va > 0) {
            memcpy((char *)va, flicker_name, sizeof(flicker_name));
        }
    }
    workers_done++;
}

static void race_spawn_unmap(void)
{
    long va = sys_map(0, PAGE, PROT_READ | PROT_WRITE);

    CHECK(va > 0);
    memcpy((char *)va, flicker_name, sizeof(flicker_name));
    flicker_va = (uint64_t)va;
    stop_workers = 0;
    workers_done = 0;
    start_worker(0, flicker, NULL);
    for (int i = 0; i < 100000; i++) {
        long t = sys_spawn((const char *)va, NULL, 0);
        CHECK(t == E_FAULT || t == E_NOENT);
    }
    stop_and_join_workers(1);
    sys_unmap((uint64_t)va, PAGE);
}

/* A long SYS_MAP lets interrupts in between pages: another thread, reading
 * the kernel's free-frame count while it runs, sees it half way down.
 * (Were the map one atomic step, the count could only ever be seen whole
 * before or whole after.) */
static volatile uint64_t frames_before_map;
static volatile uint64_t frames_after_map;
static volatile int watching;
static volatile int saw_map_half_done;

static void watch_frames(void *arg)
{
    struct kernel_counts c;

    (void)arg;
    while (!stop_workers) {
        sys_kernel_counts(&c);
        if (watching && c.free_frames < frames_before_map && c.free_frames > frames_after_map) {
            saw_map_half_done = 1;
        }
    }
    workers_done++;
}

static void race_map_is_preemptible(void)
{
    const size_t size = 32UL << 20;
    struct kernel_counts c;

    watching = 0;
    saw_map_half_done = 0;
    stop_workers = 0;
    workers_done = 0;
    start_worker(0, watch_frames, NULL);
    sys_yield(); /* the watcher is up: its own frames are taken */
    sys_kernel_counts(&c);
    frames_before_map = c.free_frames;
    frames_after_map = c.free_frames - size / PAGE; /* at least that many go */
    watching = 1;
    long va = sys_map(0, size, PROT_READ | PROT_WRITE);
    watching = 0;
    CHECK(va > 0);
    if (va > 0) {
        CHECK_EQ(sys_unmap((uint64_t)va, size), 0);
    }
    stop_and_join_workers(1);
    CHECK(saw_map_half_done);
}

/* ---- a task ended while its threads are in the middle of something ---- */

static void big_mapper(void *arg)
{
    (void)arg;
    for (;;) {
        long va = sys_map(0, 4 << 20, PROT_READ | PROT_WRITE);
        if (va > 0) {
            sys_unmap((uint64_t)va, 4 << 20);
        }
    }
}

static void spawner(void *arg)
{
    (void)arg;
    for (;;) {
        long t = sys_spawn("fault ok", NULL, 0);
        if (t >= 0) {
            sys_handle_close(t);
        }
    }
}

/* child-map, child-two-mappers, child-spawn: workers start, and the main
 * thread ends the task under them. */
static int child_end_under_workers(void (*fn)(void *), int threads)
{
    for (int i = 0; i < threads; i++) {
        thread_create(fn, NULL, worker_stacks[i], sizeof(worker_stacks[i]));
    }
    for (volatile int spin = 0; spin < 20000; spin++) {
    }
    sys_sleep(1500000);
    return 0;
}

/* child-spin-map: maps for ever, until killed from outside. */
static int child_map_until_killed(void)
{
    big_mapper(NULL);
    return 0;
}

/* Spawns command rounds times; kills each child after a seeded pause, or
 * lets it end by itself. */
static void race_child(const char *command, int rounds, bool kill_it)
{
    uint64_t seed = 42;

    for (int i = 0; i < rounds; i++) {
        long t = sys_spawn(command, NULL, 0);
        if (t < 0) {
            CHECK_EQ(t, 0);
            break;
        }
        if (kill_it) {
            sys_sleep(200000 + utest_rand(&seed) % 2000000);
            CHECK_EQ(sys_task_kill(t), 0);
            CHECK_EQ(sys_task_wait(t), E_DEAD);
        } else {
            CHECK_EQ(sys_task_wait(t), 0);
        }
        sys_handle_close(t);
    }
}

static void race_exit_during_map(void)
{
    race_child("racetest child-map", 20, false);
}

static void race_two_mappers(void)
{
    race_child("racetest child-two-mappers", 20, false);
}

static void race_exit_during_spawn(void)
{
    race_child("racetest child-spawn", 20, false);
}

static void race_kill_during_map(void)
{
    race_child("racetest child-spin-map", 30, true);
}

/* ---- everything at once: several tasks of several threads, killed ---- */

#define MIXED_CHILDREN 3
#define MIXED_ROUNDS   200
#define SHORT_STACKS   8

static char short_stacks[SHORT_STACKS][4096] __attribute__((aligned(16)));
static volatile int short_stack_busy[SHORT_STACKS];

/* Frees the stack this thread runs on and ends the thread, without
 * touching the stack in between. */
__attribute__((noreturn)) static void release_stack_and_exit(volatile int *busy)
{
    register long x8 __asm__("x8") = SYS_THREAD_EXIT;

    for (;;) {
        __asm__ volatile("stlr wzr, [%1]\n\tsvc #0"
                         : "+r"(x8)
                         : "r"(busy)
                         : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", SVC_CLOBBERS);
    }
}

static void short_thread(void *arg)
{
    volatile int *busy = arg;

    sys_yield();
    release_stack_and_exit(busy);
}

/* One seeded operation of the mixed workload. Handle 0 is the mailbox the
 * children share; the rest of the table is fair game. */
static void mixed_op(uint64_t *seed)
{
    uint64_t r = utest_rand(seed);
    uint64_t w[4] = {r, 0, 0, 0};
    struct umsg m;

    switch (r % 8) {
    case 0: { /* memory */
        size_t pages = 1 + (r >> 8) % 8;
        long va = sys_map(0, pages * PAGE, PROT_READ | PROT_WRITE);
        if (va > 0) {
            ((volatile uint64_t *)va)[0] = r;
            sys_unmap((uint64_t)va, pages * PAGE);
        }
        break;
    }
    case 1: { /* a handle to a fresh object, sent through the mailbox */
        long h = (r >> 8) & 1 ? sys_endpoint_create((r >> 9) % 3) : sys_notify_create();
        if (h > 0) {
            sys_try_send(0, MSGINFO_WITH_HANDLE(1, 1, h), w);
            sys_handle_close(h);
        }
        break;
    }
    case 2: /* whatever the mailbox holds, and its handle closed */
        if (sys_try_recv(0, &m) == 0 && MSGINFO_HAS_HANDLE(m.info)) {
            sys_handle_close((long)MSGINFO_HANDLE(m.info));
        }
        break;
    case 3: { /* a short-lived thread */
        unsigned k = (unsigned)((r >> 8) % SHORT_STACKS);
        if (__atomic_exchange_n(&short_stack_busy[k], 1, __ATOMIC_ACQUIRE) == 0) {
            if (thread_create(short_thread, (void *)&short_stack_busy[k], short_stacks[k],
                              sizeof(short_stacks[k])) < 0) {
                __atomic_store_n(&short_stack_busy[k], 0, __ATOMIC_RELEASE);
            }
        }
        break;
    }
    case 4: { /* a short-lived task */
        long t = sys_spawn("fault ok", NULL, 0);
        if (t > 0 && (r >> 8) & 1) {
            sys_task_wait(t);
        }
        if (t > 0) {
            sys_handle_close(t);
        }
        break;
    }
    case 5: /* a handle number that may or may not be live (never the mailbox) */
        sys_handle_close(1 + (long)((r >> 8) % 16));
        break;
    case 6:
        sys_yield();
        break;
    default: { /* a rendezvous with ourselves: nobody waits, so it fails at once */
        long ep = sys_endpoint_create(0);
        if (ep > 0) {
            sys_try_send(ep, MSGINFO_WITH_HANDLE(2, 0, ep), w);
            sys_handle_close(ep);
        }
        break;
    }
    }
}

static void mixed_worker(void *arg)
{
    uint64_t seed = (uint64_t)(uintptr_t)arg;

    for (;;) {
        mixed_op(&seed);
    }
}

/* child-mixed SEED: three threads of seeded mixed operations, until killed. */
static int child_mixed(uint64_t seed)
{
    start_worker(0, mixed_worker, (void *)(uintptr_t)(seed * 3 + 1));
    start_worker(1, mixed_worker, (void *)(uintptr_t)(seed * 3 + 2));
    mixed_worker((void *)(uintptr_t)(seed * 3 + 3));
    return 0;
}

static void race_mixed(void)
{
    long mailbox = sys_endpoint_create(4);
    long children[MIXED_CHILDREN];
    uint64_t seed = 0x5eed;
    char command[48];
    struct kernel_counts before, after;

    sys_kernel_counts(&before);
    CHECK(mailbox >= 0);
    for (int i = 0; i < MIXED_CHILDREN; i++) {
        ksnprintf(command, sizeof(command), "racetest child-mixed %d", i);
        children[i] = sys_spawn(command, &mailbox, 1);
        CHECK(children[i] >= 0);
    }
    for (int round = 0; round < MIXED_ROUNDS; round++) {
        sys_sleep(100000 + utest_rand(&seed) % 3000000);
        int i = (int)(utest_rand(&seed) % MIXED_CHILDREN);
        CHECK_EQ(sys_task_kill(children[i]), 0);
        CHECK_EQ(sys_task_wait(children[i]), E_DEAD);
        sys_handle_close(children[i]);
        ksnprintf(command, sizeof(command), "racetest child-mixed %d", round + MIXED_CHILDREN);
        children[i] = sys_spawn(command, &mailbox, 1);
        CHECK(children[i] >= 0);
    }
    for (int i = 0; i < MIXED_CHILDREN; i++) {
        sys_task_kill(children[i]);
        sys_task_wait(children[i]);
        sys_handle_close(children[i]);
    }
    sys_handle_close(mailbox); /* with it go the handles still queued in it */
    sys_kernel_counts(&after);
    printf("    # mixed: %llu system calls by %d tasks of 3 threads, %d killed\n",
           (unsigned long long)(after.syscalls - before.syscalls), MIXED_CHILDREN + MIXED_ROUNDS,
           MIXED_ROUNDS + MIXED_CHILDREN);
}

/* ---- faults served by another task, which is busy killing it ---- */

#define FAULT_WINDOW (USER_MAP_BASE + 0x20000000ULL)
#define FAULT_PAGES  64
#define FAULT_ROUNDS 30

/* child-faulter: handle 0 is an endpoint to wait for the go on. Then three
 * threads touch pages of a window nobody mapped (each first touch is a
 * fault its handler serves) and unmap some again, until the task is
 * killed. */
static void faulter(void *arg)
{
    uint64_t seed = (uint64_t)(uintptr_t)arg + 1;

    for (;;) {
        uint64_t r = utest_rand(&seed);
        uint64_t page = FAULT_WINDOW + (r % FAULT_PAGES) * PAGE;
        *(volatile uint64_t *)page = r;
        if ((r >> 8) % 4 == 0) {
            sys_unmap(page, PAGE);
        }
    }
}

static int child_faulter(void)
{
    struct umsg m;

    sys_recv(0, &m); /* the go: our fault handler is in place by then */
    for (unsigned i = 1; i < 3; i++) {
        thread_create(faulter, (void *)(uintptr_t)i, worker_stacks[i], sizeof(worker_stacks[i]));
    }
    faulter(NULL);
    return 0;
}

static long fault_ep;
static volatile long fault_child; /* the task whose faults we serve now, or -1 */
static volatile uint64_t faults_served;

/* Serves fault_ep: maps the page and resumes, or (now and then) ends the
 * faulting task, until a message of label 0 that is no fault. */
static void fault_server(void *arg)
{
    uint64_t seed = (uint64_t)(uintptr_t)arg + 77;
    uint64_t w[4] = {0};
    struct umsg m;
    long err = sys_recv(fault_ep, &m);

    while (err == 0 && MSGINFO_LABEL(m.info) == FAULT_MSG_LABEL) {
        uint64_t page = m.w[1] & ~(PAGE - 1);
        __atomic_add_fetch(&faults_served, 1, __ATOMIC_SEQ_CST);
        uint64_t answer = utest_rand(&seed) % 64 == 0 ? 99 : FAULT_RESUME;
        if (answer == FAULT_RESUME &&
            sys_task_map((uint64_t)fault_child, page, PAGE, PROT_READ | PROT_WRITE) < 0) {
            answer = FAULT_RESUME; /* mapped by now, or the task is gone: retry either way */
        }
        err = sys_reply_recv(fault_ep, MSGINFO(answer, 0), w, &m);
        if (err == E_INVAL) { /* the faulting task died before the answer */
            err = sys_recv(fault_ep, &m);
        }
    }
    __atomic_add_fetch(&workers_done, 1, __ATOMIC_SEQ_CST);
    if (err == 0) {
        sys_reply(MSGINFO(0, 0), w);
    }
}

/* Two threads serve a child's faults while this one kills the child at a
 * seeded moment, or takes its fault handler away first; thirty times. */
static void race_faults_under_fire(void)
{
    uint64_t seed = 99;
    uint64_t w[4] = {0};
    struct umsg m;

    fault_ep = sys_endpoint_create(0);
    long go = sys_endpoint_create(0);
    CHECK(fault_ep >= 0 && go >= 0);
    fault_child = -1;
    faults_served = 0;
    stop_workers = 0;
    workers_done = 0;
    start_worker(0, fault_server, (void *)0);
    start_worker(1, fault_server, (void *)1);
    for (int i = 0; i < FAULT_ROUNDS; i++) {
        long t = sys_spawn("racetest child-faulter", &go, 1);
        if (t < 0) {
            CHECK_EQ(t, 0);
            break;
        }
        fault_child = t;
        CHECK_EQ(sys_fault_handler((uint64_t)t, (uint64_t)fault_ep), 0);
        CHECK_EQ(sys_send(go, MSGINFO(1, 0), w), 0);
        sys_sleep(100000 + utest_rand(&seed) % 1500000);
        if (utest_rand(&seed) % 3 == 0) {
            sys_fault_handler((uint64_t)t, FAULT_HANDLER_NONE); /* its next fault kills it */
            sys_sleep(utest_rand(&seed) % 500000);
        }
        long err = sys_task_kill(t);
        CHECK(err == 0 || err == E_DEAD);
        CHECK_EQ(sys_task_wait(t), E_DEAD);
        sys_handle_close(t);
    }
    for (int i = 0; i < 2; i++) {
        sys_call(fault_ep, MSGINFO(0, 0), w, &m);
    }
    while (workers_done < 2) {
        sys_yield();
    }
    sys_handle_close(fault_ep);
    sys_handle_close(go);
    printf("    # faults_under_fire: %llu faults served, %d faulting tasks killed\n",
           (unsigned long long)faults_served, FAULT_ROUNDS);
    CHECK(faults_served >= FAULT_ROUNDS);
}

/* ---- a map into another task outlives the handle it came through ---- */

#define REMOTE_MAP_ROUNDS 40

static volatile long map_target = -1; /* the task remote_mapper maps into, or -1 */

/* Maps into map_target for as long as it names a task: too much at once
 * (refused), and the most a map into another task may take. */
static void remote_mapper(void *arg)
{
    (void)arg;
    while (!stop_workers) {
        long t = map_target;
        if (t >= 0) {
            sys_task_map((uint64_t)t, 0, 16UL << 20, PROT_READ | PROT_WRITE); /* E_RANGE */
            sys_task_map((uint64_t)t, 0, TASK_MAP_MAX_SIZE, PROT_READ | PROT_WRITE);
        } else {
            sys_yield();
        }
    }
    workers_done++;
}

/* child-idle: sleeps until killed. */
__attribute__((noreturn)) static void child_idle(void)
{
    for (;;) {
        sys_sleep(1000000000);
    }
}

/* One thread maps into a child while another kills the child, closes its
 * handle and spawns the next one at once, which takes the dead child's
 * task slot. A map that could be switched out halfway would go on filling
 * the new task's memory through the old one's region (it once did: such a
 * map now runs to its end at once). */
static void race_task_map_outlives_handle(void)
{
    uint64_t seed = 7;

    stop_workers = 0;
    workers_done = 0;
    map_target = -1;
    start_worker(0, remote_mapper, NULL);
    for (int i = 0; i < REMOTE_MAP_ROUNDS; i++) {
        long t = sys_spawn("racetest child-idle", NULL, 0);
        if (t < 0) {
            CHECK_EQ(t, 0);
            break;
        }
        map_target = t;
        sys_sleep(utest_rand(&seed) % 3000000);
        CHECK_EQ(sys_task_kill(t), 0);
        map_target = -1;
        CHECK_EQ(sys_task_wait(t), E_DEAD);
        CHECK_EQ(sys_handle_close(t), 0);
    }
    stop_and_join_workers(1);
}

/* child-remote-map: handle 0 is another task; maps into it, large ranges
 * and small, until killed. */
__attribute__((noreturn)) static void child_remote_map(void)
{
    for (;;) {
        sys_task_map(0, 0, 16UL << 20, PROT_READ | PROT_WRITE); /* E_RANGE */
        sys_task_map(0, 0, TASK_MAP_MAX_SIZE, PROT_READ | PROT_WRITE);
    }
}

/* The other side of task_map_outlives_handle: the mapper is killed while
 * it maps into a task that lives on. Nothing of the map may outlive it (a
 * reference to the target, a region left half filled and busy, as a
 * preemptible map once did): the target still maps memory, and when it
 * ends, utest_run finds every object back. */
static void race_mapper_killed_mid_map(void)
{
    uint64_t seed = 11;

    for (int i = 0; i < REMOTE_MAP_ROUNDS; i++) {
        long target = sys_spawn("racetest child-idle", NULL, 0);
        long mapper = target < 0 ? -1 : sys_spawn("racetest child-remote-map", &target, 1);
        if (target < 0 || mapper < 0) {
            CHECK(target >= 0 && mapper >= 0);
            break;
        }
        sys_sleep(utest_rand(&seed) % 3000000);
        CHECK_EQ(sys_task_kill(mapper), 0);
        CHECK_EQ(sys_task_wait(mapper), E_DEAD);
        CHECK(sys_task_map((uint64_t)target, 0, PAGE, PROT_READ | PROT_WRITE) > 0);
        CHECK_EQ(sys_task_kill(target), 0);
        CHECK_EQ(sys_task_wait(target), E_DEAD);
        CHECK_EQ(sys_handle_close(mapper), 0);
        CHECK_EQ(sys_handle_close(target), 0);
    }
}

static const struct utest_case scenarios[] = {
    {"map_spawn", race_map_spawn},
    {"spawn_unmap", race_spawn_unmap},
    {"exit_during_map", race_exit_during_map},
    {"two_mappers", race_two_mappers},
    {"exit_during_spawn", race_exit_during_spawn},
    {"kill_during_map", race_kill_during_map},
    {"map_is_preemptible", race_map_is_preemptible},
    {"faults_under_fire", race_faults_under_fire},
    {"task_map_outlives_handle", race_task_map_outlives_handle},
    {"mapper_killed_mid_map", race_mapper_killed_mid_map},
    {"mixed", race_mixed},
};

static int child_main(const char *arg, size_t len)
{
    if (utest_arg_is(arg, len, "child-map")) {
        return child_end_under_workers(big_mapper, 1);
    }
    if (utest_arg_is(arg, len, "child-two-mappers")) {
        return child_end_under_workers(big_mapper, 2);
    }
    if (utest_arg_is(arg, len, "child-spawn")) {
        return child_end_under_workers(spawner, 1);
    }
    if (utest_arg_is(arg, len, "child-spin-map")) {
        return child_map_until_killed();
    }
    if (utest_arg_is(arg, len, "child-faulter")) {
        return child_faulter();
    }
    if (utest_arg_is(arg, len, "child-idle")) {
        child_idle();
    }
    if (utest_arg_is(arg, len, "child-remote-map")) {
        child_remote_map();
    }
    if (len > 12 && memcmp(arg, "child-mixed ", 12) == 0) {
        uint64_t seed = 0;
        for (size_t i = 12; i < len; i++) {
            seed = seed * 10 + (uint64_t)(arg[i] - '0');
        }
        return child_mixed(seed);
    }
    return 2;
}

int main(const char *arg, size_t arg_len)
{
    if (arg_len > 6 && memcmp(arg, "child-", 6) == 0) {
        return child_main(arg, arg_len);
    }
    utest_run_cases(scenarios, sizeof(scenarios) / sizeof(scenarios[0]), arg, arg_len);
    return utest_summary("racetest");
}
