/* Scheduler order, priorities, yielding and thread slots, with real threads
 * (on the host: ucontext; in the kernel: the real context switch). */
#include "hal/timer.h"
#include "hal/user.h"
#include "kernel/ipc.h"
#include "kernel/thread.h"
#include "lib/ktest.h"
#include "lib/string.h"
#include "uapi/errors.h"

static char sched_log[64];
static unsigned sched_log_len;

static void log_reset(void)
{
    sched_log_len = 0;
    sched_log[0] = '\0';
}

static void log_char(char c)
{
    if (sched_log_len < sizeof(sched_log) - 1) {
        sched_log[sched_log_len++] = c;
        sched_log[sched_log_len] = '\0';
    }
}

static void log_name_once(void *arg)
{
    log_char(*(const char *)arg);
}

static void log_name_three_times(void *arg)
{
    for (int i = 0; i < 3; i++) {
        log_char(*(const char *)arg);
        thread_yield();
    }
}

KTEST(sched, higher_priority_first_fifo_within)
{
    unsigned base = CONFIG_DEFAULT_PRIORITY;
    unsigned before = thread_count();

    log_reset();
    /* All below us, so none runs until we block. */
    struct thread *a = thread_create("A", base - 4, log_name_once, "A");
    struct thread *b = thread_create("B", base - 2, log_name_once, "B");
    struct thread *c = thread_create("C", base - 4, log_name_once, "C");
    struct thread *d = thread_create("D", base - 2, log_name_once, "D");
    KTEST_ASSERT_TRUE(t, a && b && c && d);
    uint32_t ids[4] = {a->id, b->id, c->id, d->id};
    KTEST_EXPECT_STREQ(t, sched_log, "");
    for (int i = 0; i < 4; i++) {
        thread_join(ids[i]);
    }
    KTEST_EXPECT_STREQ(t, sched_log, "BDAC");
    KTEST_EXPECT_EQ(t, thread_count(), before);
}

KTEST(sched, yield_round_robin_within_priority)
{
    uint32_t ids[3];
    static const char *const names[3] = {"X", "Y", "Z"};

    log_reset();
    for (int i = 0; i < 3; i++) {
        struct thread *th = thread_create(names[i], CONFIG_DEFAULT_PRIORITY - 1,
                                          log_name_three_times, (void *)names[i]);
        KTEST_ASSERT_TRUE(t, th != NULL);
        ids[i] = th->id;
    }
    for (int i = 0; i < 3; i++) {
        thread_join(ids[i]);
    }
    KTEST_EXPECT_STREQ(t, sched_log, "XYZXYZXYZ");
}

KTEST(sched, yield_to_lower_priority_does_nothing)
{
    log_reset();
    struct thread *low = thread_create("low", CONFIG_DEFAULT_PRIORITY - 1, log_name_once, "L");
    KTEST_ASSERT_TRUE(t, low != NULL);
    uint32_t id = low->id;
    thread_yield();
    log_char('M');
    thread_join(id);
    KTEST_EXPECT_STREQ(t, sched_log, "ML");
}

KTEST(sched, equal_priority_yield_lets_others_run)
{
    log_reset();
    struct thread *peer = thread_create("peer", CONFIG_DEFAULT_PRIORITY, log_name_once, "P");
    KTEST_ASSERT_TRUE(t, peer != NULL);
    uint32_t id = peer->id;
    log_char('M');
    thread_yield();
    log_char('M');
    thread_join(id);
    KTEST_EXPECT_STREQ(t, sched_log, "MPM");
}

/* Sets the user TLS register (TPIDR_EL0) to value; what it held. */
static uint64_t tls_exchange(uint64_t value)
{
    uint64_t old;

    hal_user_switch_tls(&old, value);
    return old;
}

static unsigned tls_mismatches;

static void keep_own_tls(void *arg)
{
    uint64_t mine = (uint64_t)(uintptr_t)arg;

    tls_exchange(mine);
    for (int i = 0; i < 3; i++) {
        thread_yield();
        if (tls_exchange(mine) != mine) {
            tls_mismatches++;
        }
    }
}

/* User mode writes TPIDR_EL0 as it likes, and the CPU has one: every
 * switch saves it with the thread that leaves and loads the next one's. */
KTEST(sched, each_thread_keeps_its_user_tls_register)
{
    uint64_t saved = tls_exchange(0x1111);

    tls_mismatches = 0;
    struct thread *a =
        thread_create("tls-a", CONFIG_DEFAULT_PRIORITY, keep_own_tls, (void *)(uintptr_t)0x2222);
    struct thread *b =
        thread_create("tls-b", CONFIG_DEFAULT_PRIORITY, keep_own_tls, (void *)(uintptr_t)0x3333);
    KTEST_ASSERT_TRUE(t, a && b);
    uint32_t ids[2] = {a->id, b->id};
    thread_yield();
    KTEST_EXPECT_EQ(t, tls_exchange(0x1111), 0x1111);
    thread_join(ids[0]);
    thread_join(ids[1]);
    KTEST_EXPECT_EQ(t, tls_mismatches, 0);
    KTEST_EXPECT_EQ(t, tls_exchange(saved), 0x1111);
}

KTEST(sched, creating_a_more_important_thread_runs_it_first)
{
    log_reset();
    struct thread *high = thread_create("high", CONFIG_DEFAULT_PRIORITY + 1, log_name_once, "H");
    KTEST_ASSERT_TRUE(t, high != NULL);
    log_char('M');
    KTEST_EXPECT_STREQ(t, sched_log, "HM");
}

static struct endpoint *wake_ep;

static void wake_and_log(void *arg)
{
    struct ipc_msg m;

    if (ipc_recv(wake_ep, &m) == 0) {
        log_char(*(const char *)arg);
    }
}

KTEST(sched, waking_a_more_important_thread_preempts_the_waker)
{
    struct ipc_msg m = {.label = 1, .length = 0};

    log_reset();
    KTEST_ASSERT_EQ(t, endpoint_create(0, &wake_ep), 0);
    struct thread *high = thread_create("high", CONFIG_DEFAULT_PRIORITY + 3, wake_and_log, "H");
    KTEST_ASSERT_TRUE(t, high != NULL);
    KTEST_EXPECT_EQ(t, high->state, THREAD_BLOCKED_RECV);
    log_char('1');
    KTEST_EXPECT_EQ(t, ipc_send(wake_ep, &m), 0); /* wakes it: it runs before send returns */
    log_char('2');
    KTEST_EXPECT_STREQ(t, sched_log, "1H2");
    endpoint_destroy(wake_ep);
}

static void do_nothing(void *arg)
{
    (void)arg;
}

KTEST(sched, slots_are_reused)
{
    unsigned before = thread_count();

    for (int i = 0; i < 3 * CONFIG_MAX_THREADS; i++) {
        struct thread *th = thread_create("short", CONFIG_DEFAULT_PRIORITY + 1, do_nothing, NULL);
        KTEST_ASSERT_TRUE(t, th != NULL);
        thread_join(th->id);
    }
    KTEST_EXPECT_EQ(t, thread_count(), before);
}

static struct endpoint *sched_park_ep;

static void park_on_endpoint(void *arg)
{
    struct ipc_msg msg;
    int *results = arg;

    results[thread_current()->id % CONFIG_MAX_THREADS] = ipc_recv(sched_park_ep, &msg);
}

KTEST(sched, create_fails_when_every_slot_is_taken)
{
    static int results[CONFIG_MAX_THREADS];
    static uint32_t ids[CONFIG_MAX_THREADS];
    unsigned before = thread_count();
    unsigned made = 0;

    KTEST_ASSERT_EQ(t, endpoint_create(0, &sched_park_ep), 0);
    for (;;) {
        struct thread *th =
            thread_create("parked", CONFIG_DEFAULT_PRIORITY + 1, park_on_endpoint, results);
        if (!th) {
            break;
        }
        ids[made++] = th->id;
        thread_yield(); /* it outranks us, so it already ran and blocked in recv */
    }
    KTEST_EXPECT_EQ(t, made + before, CONFIG_MAX_THREADS);
    KTEST_EXPECT_EQ(t, thread_count(), CONFIG_MAX_THREADS);
    endpoint_destroy(sched_park_ep);
    for (unsigned i = 0; i < made; i++) {
        thread_join(ids[i]);
        KTEST_EXPECT_EQ(t, results[ids[i] % CONFIG_MAX_THREADS], E_DEAD);
    }
    KTEST_EXPECT_EQ(t, thread_count(), before);
}

/* Far apart, so that even a slow host cannot reorder the wake-ups. */
static uint64_t sleep_asked[3] = {30000000, 10000000, 20000000};
static uint64_t sleep_base;
static bool sleep_early[3];

/* Each sleeps until sleep_base + its time: the deadlines are fixed when the
 * test starts, so a slow host creating the threads cannot reorder them. */
static void sleep_and_log(void *arg)
{
    uint64_t i = (uint64_t)(uintptr_t)arg;
    uint64_t target = sleep_base + sleep_asked[i];
    uint64_t now = hal_timer_now_ns();

    thread_sleep(target > now ? target - now : 0);
    sleep_early[i] = hal_timer_now_ns() < target;
    log_char((char)('0' + sleep_asked[i] / 10000000));
}

KTEST(sched, sleepers_wake_in_deadline_order_never_early)
{
    uint32_t ids[3];

    log_reset();
    sleep_base = hal_timer_now_ns();
    for (uintptr_t i = 0; i < 3; i++) {
        struct thread *th =
            thread_create("sleeper", CONFIG_DEFAULT_PRIORITY + 1, sleep_and_log, (void *)i);
        KTEST_ASSERT_TRUE(t, th != NULL);
        ids[i] = th->id;
    }
    for (int i = 0; i < 3; i++) {
        thread_join(ids[i]);
        KTEST_EXPECT_FALSE(t, sleep_early[i]);
    }
    KTEST_EXPECT_STREQ(t, sched_log, "123");
}
