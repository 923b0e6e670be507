/* usertest: threads, spawn, exit, kill and waiting (see usertest.h). */
#include "usertest.h"

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

void test_two_threads_of_one_task(void)
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

void test_thread_create_limits(void)
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

void test_a_fault_kills_every_thread_of_the_task(void)
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

/* A name the boot archive lacks is refused; then a thousand tasks started
 * and ended in turn must give back every frame and every thread: a leak
 * of one page a cycle would show as a thousand. */
void test_spawn_exit_cycles(void)
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

void test_fp_across_preemption(void)
{
    long a = sys_spawn("fpu 3", NULL, 0);
    long b = sys_spawn("fpu 7", NULL, 0);

    CHECK(a >= 0 && b >= 0);
    CHECK_EQ(sys_task_wait(a), 0);
    CHECK_EQ(sys_task_wait(b), 0);
    sys_handle_close(a);
    sys_handle_close(b);
}

/* child:spin: runs until somebody kills it. */
int child_spin(void)
{
    for (;;) {
    }
}

/* child:hold-call: takes one call on handle 0 and never answers it. */
int child_hold_call(void)
{
    struct umsg m;
    long never = sys_notify_create();

    sys_recv(0, &m);
    return (int)sys_wait(never);
}

static char killer_stack[4096] __attribute__((aligned(16)));
static volatile long kill_target;

static void kill_and_report(void *arg)
{
    (void)arg;
    sys_task_kill(kill_target);
}

/* Killing a task: spinning, blocked in IPC, already dead, or our own. */
void test_task_kill(void)
{
    long ep = sys_endpoint_create(0);
    long notify = sys_notify_create();
    struct umsg reply;

    CHECK(ep >= 0 && notify >= 0);
    CHECK_EQ(sys_task_kill(99), E_BADHANDLE);
    CHECK_EQ(sys_task_kill(ep), E_BADHANDLE); /* an endpoint is no task */

    long spinner = usertest_spawn_child("spin", NULL, 0);
    CHECK(spinner >= 0);
    sys_yield();
    CHECK_EQ(sys_task_kill(spinner), 0);
    CHECK_EQ(sys_task_wait(spinner), E_DEAD);
    CHECK_EQ(sys_task_kill(spinner), 0); /* killing the dead changes nothing */
    CHECK_EQ(sys_task_wait(spinner), E_DEAD);
    CHECK_EQ(sys_handle_close(spinner), 0);

    /* A receiver killed while it waits leaves the endpoint's queue: a
     * try_send finds nobody there. */
    long server = usertest_spawn_child("receive", &ep, 1);
    CHECK(server >= 0);
    sys_yield();
    CHECK_EQ(sys_task_kill(server), 0);
    CHECK_EQ(sys_task_wait(server), E_DEAD);
    CHECK_EQ(sys_try_send(ep, MSGINFO(1, 0), NULL), E_FULL); /* nobody waits there any more */
    CHECK_EQ(sys_handle_close(server), 0);

    /* A server killed by another thread of ours while we wait in a call to it. */
    server = usertest_spawn_child("hold-call", &ep, 1);
    CHECK(server >= 0);
    kill_target = server;
    sys_yield(); /* the server waits in recv */
    long killer = thread_create(kill_and_report, NULL, killer_stack, sizeof(killer_stack));
    CHECK(killer > 0);
    CHECK_EQ(sys_call(ep, MSGINFO(1, 0), NULL, &reply), E_DEAD);
    CHECK_EQ(sys_task_wait(server), E_DEAD);
    CHECK_EQ(sys_handle_close(server), 0);
    sys_yield(); /* let the killer thread end */

    CHECK_EQ(sys_handle_close(notify), 0);
    CHECK_EQ(sys_handle_close(ep), 0);
}

/* child:wait-self: receives a handle to its own task on handle 0 and
 * waits for itself, which must fail at once instead of blocking for ever. */
int child_wait_for_itself(void)
{
    struct umsg m;

    if (sys_recv(0, &m) != 0 || !MSGINFO_HAS_HANDLE(m.info)) {
        return 1;
    }
    long result = sys_task_wait((long)MSGINFO_HANDLE(m.info));
    return result == E_INVAL ? 0 : 2;
}

void test_task_wait_on_itself(void)
{
    long ep = sys_endpoint_create(0);
    uint64_t w[4] = {0};

    CHECK(ep >= 0);
    long child = usertest_spawn_child("wait-self", &ep, 1);
    CHECK(child >= 0);
    CHECK_EQ(sys_send(ep, MSGINFO_WITH_HANDLE(1, 0, child), w), 0);
    CHECK_EQ(sys_task_wait(child), 0);
    CHECK_EQ(sys_handle_close(child), 0);
    CHECK_EQ(sys_handle_close(ep), 0);
}
