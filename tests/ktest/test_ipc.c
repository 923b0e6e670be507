/* IPC endpoints: mailbox and rendezvous, FIFO order, backpressure,
 * call/reply, destruction. Real threads, real blocking. */
#include "kernel/ipc.h"
#include "kernel/thread.h"
#include "lib/ktest.h"
#include "lib/string.h"
#include "uapi/errors.h"

static struct ipc_msg make_msg(uint32_t label, uint32_t length, uint64_t first)
{
    struct ipc_msg m;

    memset(&m, 0, sizeof(m));
    m.label = label;
    m.length = length;
    for (uint32_t i = 0; i < length && i < IPC_MAX_WORDS; i++) {
        m.words[i] = first + i;
    }
    return m;
}

KTEST(ipc, mailbox_fifo_full_empty_and_wraparound)
{
    struct endpoint *ep;
    struct ipc_msg m, out;

    KTEST_ASSERT_EQ(t, endpoint_create(4, &ep), 0);
    for (uint32_t label = 1; label <= 4; label++) {
        m = make_msg(label, 2, label * 10);
        KTEST_EXPECT_EQ(t, ipc_try_send(ep, &m), 0);
    }
    m = make_msg(5, 0, 0);
    KTEST_EXPECT_EQ(t, ipc_try_send(ep, &m), E_FULL);
    for (uint32_t label = 1; label <= 2; label++) {
        KTEST_EXPECT_EQ(t, ipc_try_recv(ep, &out), 0);
        KTEST_EXPECT_EQ(t, out.label, label);
        KTEST_EXPECT_EQ(t, out.length, 2);
        KTEST_EXPECT_EQ(t, out.words[1], label * 10 + 1);
        KTEST_EXPECT_EQ(t, out.badge, thread_current()->id);
    }
    /* Two more go in at the front of the ring: the queue wraps around. */
    for (uint32_t label = 5; label <= 6; label++) {
        m = make_msg(label, 1, label);
        KTEST_EXPECT_EQ(t, ipc_try_send(ep, &m), 0);
    }
    for (uint32_t label = 3; label <= 6; label++) {
        KTEST_EXPECT_EQ(t, ipc_try_recv(ep, &out), 0);
        KTEST_EXPECT_EQ(t, out.label, label);
    }
    KTEST_EXPECT_EQ(t, ipc_try_recv(ep, &out), E_EMPTY);
    endpoint_destroy(ep);
}

KTEST(ipc, rendezvous_without_peer_would_block)
{
    struct endpoint *ep;
    struct ipc_msg m = make_msg(1, 0, 0), out;

    KTEST_ASSERT_EQ(t, endpoint_create(0, &ep), 0);
    KTEST_EXPECT_EQ(t, ipc_try_send(ep, &m), E_FULL);
    KTEST_EXPECT_EQ(t, ipc_try_recv(ep, &out), E_EMPTY);
    endpoint_destroy(ep);
}

KTEST(ipc, bad_arguments)
{
    struct endpoint *ep;
    struct ipc_msg m = make_msg(1, IPC_MAX_WORDS + 1, 0);

    KTEST_EXPECT_EQ(t, endpoint_create(CONFIG_MAX_ENDPOINT_DEPTH + 1, &ep), E_INVAL);
    KTEST_ASSERT_EQ(t, endpoint_create(1, &ep), 0);
    KTEST_EXPECT_EQ(t, ipc_send(ep, &m), E_INVAL);
    KTEST_EXPECT_EQ(t, ipc_try_send(ep, &m), E_INVAL);
    KTEST_EXPECT_EQ(t, ipc_call(ep, &m, &m), E_INVAL);
    KTEST_EXPECT_EQ(t, ipc_reply(&m), E_INVAL);
    m.length = IPC_MAX_WORDS; /* the longest legal message */
    KTEST_EXPECT_EQ(t, ipc_try_send(ep, &m), 0);
    endpoint_destroy(ep);
}

KTEST(ipc, endpoint_table_exhaustion)
{
    static struct endpoint *eps[CONFIG_MAX_ENDPOINTS];
    unsigned before = endpoint_count();
    unsigned n = 0;
    struct endpoint *ep;

    while (endpoint_create(0, &ep) == 0) {
        eps[n++] = ep;
    }
    KTEST_EXPECT_EQ(t, n + before, CONFIG_MAX_ENDPOINTS);
    KTEST_EXPECT_EQ(t, endpoint_create(0, &ep), E_NOSPC);
    for (unsigned i = 0; i < n; i++) {
        endpoint_destroy(eps[i]);
    }
    KTEST_EXPECT_EQ(t, endpoint_count(), before);
}

/* ---- many senders, one receiver ---- */

#define FANIN_SENDERS  6
#define FANIN_MESSAGES 50

static struct endpoint *fanin_ep;

static void fanin_sender(void *arg)
{
    uint64_t index = (uint64_t)(uintptr_t)arg;

    for (uint64_t seq = 0; seq < FANIN_MESSAGES; seq++) {
        struct ipc_msg m = make_msg(7, 3, 0);
        m.words[0] = index;
        m.words[1] = seq;
        m.words[2] = index * 1000003 + seq; /* a checksum of the other two */
        if (ipc_send(fanin_ep, &m) != 0) {
            return;
        }
    }
}

static void fanin_run(struct ktest *t, unsigned depth)
{
    uint32_t ids[FANIN_SENDERS];
    uint64_t next_seq[FANIN_SENDERS] = {0};
    unsigned received = 0;

    KTEST_ASSERT_TRUE(t, endpoint_create(depth, &fanin_ep) == 0);
    for (uintptr_t i = 0; i < FANIN_SENDERS; i++) {
        struct thread *th =
            thread_create("sender", CONFIG_DEFAULT_PRIORITY, fanin_sender, (void *)i);
        KTEST_ASSERT_TRUE(t, th != NULL);
        ids[i] = th->id;
    }
    while (received < FANIN_SENDERS * FANIN_MESSAGES) {
        struct ipc_msg out;
        if (!KTEST_EXPECT_EQ(t, ipc_recv(fanin_ep, &out), 0)) {
            break;
        }
        uint64_t index = out.words[0];
        if (!KTEST_EXPECT_TRUE(t, index < FANIN_SENDERS) ||
            !KTEST_EXPECT_EQ(t, out.words[1], next_seq[index]) ||
            !KTEST_EXPECT_EQ(t, out.words[2], index * 1000003 + out.words[1]) ||
            !KTEST_EXPECT_EQ(t, out.badge, ids[index])) {
            break;
        }
        next_seq[index]++;
        received++;
    }
    struct ipc_msg extra;
    KTEST_EXPECT_EQ(t, ipc_try_recv(fanin_ep, &extra), E_EMPTY); /* nothing duplicated */
    for (unsigned i = 0; i < FANIN_SENDERS; i++) {
        thread_join(ids[i]);
        KTEST_EXPECT_EQ(t, next_seq[i], FANIN_MESSAGES);
    }
    endpoint_destroy(fanin_ep);
}

KTEST(ipc, many_senders_one_receiver_mailbox)
{
    fanin_run(t, 2);
}

KTEST(ipc, many_senders_one_receiver_rendezvous)
{
    fanin_run(t, 0);
}

/* ---- blocked senders and receivers are served in arrival order ---- */

static struct endpoint *order_ep;
static char order_log[16];
static unsigned order_len;

static void blocked_sender(void *arg)
{
    struct ipc_msg m = make_msg(*(const char *)arg, 0, 0);

    ipc_send(order_ep, &m);
}

static void blocked_receiver(void *arg)
{
    struct ipc_msg out;

    if (ipc_recv(order_ep, &out) == 0) {
        order_log[order_len++] = *(const char *)arg;
        order_log[order_len++] = (char)out.label;
        order_log[order_len] = '\0';
    }
}

KTEST(ipc, blocked_senders_are_served_fifo)
{
    static const char *const names[3] = {"a", "b", "c"};
    uint32_t ids[3];
    struct ipc_msg m = make_msg('0', 0, 0), out;

    KTEST_ASSERT_EQ(t, endpoint_create(1, &order_ep), 0);
    KTEST_EXPECT_EQ(t, ipc_try_send(order_ep, &m), 0); /* now full */
    for (int i = 0; i < 3; i++) {
        struct thread *th =
            thread_create(names[i], CONFIG_DEFAULT_PRIORITY + 1, blocked_sender, (void *)names[i]);
        KTEST_ASSERT_TRUE(t, th != NULL);
        ids[i] = th->id;
        thread_yield(); /* it runs and blocks in send */
        KTEST_EXPECT_EQ(t, th->state, THREAD_BLOCKED_SEND);
    }
    char got[5] = {0};
    for (int i = 0; i < 4; i++) {
        KTEST_EXPECT_EQ(t, ipc_recv(order_ep, &out), 0);
        got[i] = (char)out.label;
    }
    KTEST_EXPECT_STREQ(t, got, "0abc");
    for (int i = 0; i < 3; i++) {
        thread_join(ids[i]);
    }
    endpoint_destroy(order_ep);
}

KTEST(ipc, a_newcomer_cannot_overtake_a_blocked_sender)
{
    struct ipc_msg m = make_msg('0', 0, 0), out;

    KTEST_ASSERT_EQ(t, endpoint_create(1, &order_ep), 0);
    KTEST_EXPECT_EQ(t, ipc_try_send(order_ep, &m), 0);
    struct thread *th =
        thread_create("a", CONFIG_DEFAULT_PRIORITY + 1, blocked_sender, (void *)"a");
    KTEST_ASSERT_TRUE(t, th != NULL);
    uint32_t id = th->id;
    KTEST_EXPECT_EQ(t, th->state, THREAD_BLOCKED_SEND);
    /* Taking '0' frees the slot, and the waiting 'a' must take it at once. */
    KTEST_EXPECT_EQ(t, ipc_try_recv(order_ep, &out), 0);
    m.label = 'n';
    KTEST_EXPECT_EQ(t, ipc_try_send(order_ep, &m), E_FULL);
    KTEST_EXPECT_EQ(t, ipc_try_recv(order_ep, &out), 0);
    KTEST_EXPECT_EQ(t, out.label, 'a');
    thread_join(id);
    endpoint_destroy(order_ep);
}

KTEST(ipc, blocked_receivers_are_served_fifo)
{
    static const char *const names[3] = {"x", "y", "z"};
    uint32_t ids[3];

    order_len = 0;
    order_log[0] = '\0';
    KTEST_ASSERT_EQ(t, endpoint_create(0, &order_ep), 0);
    for (int i = 0; i < 3; i++) {
        struct thread *th = thread_create(names[i], CONFIG_DEFAULT_PRIORITY + 1, blocked_receiver,
                                          (void *)names[i]);
        KTEST_ASSERT_TRUE(t, th != NULL);
        ids[i] = th->id;
        thread_yield();
        KTEST_EXPECT_EQ(t, th->state, THREAD_BLOCKED_RECV);
    }
    for (char label = '1'; label <= '3'; label++) {
        struct ipc_msg m = make_msg((uint32_t)label, 0, 0);
        KTEST_EXPECT_EQ(t, ipc_send(order_ep, &m), 0);
    }
    for (int i = 0; i < 3; i++) {
        thread_join(ids[i]);
    }
    KTEST_EXPECT_STREQ(t, order_log, "x1y2z3");
    endpoint_destroy(order_ep);
}

/* ---- destruction ---- */

static struct endpoint *dead_ep;
static int dead_results[4];

static void dead_receiver(void *arg)
{
    struct ipc_msg out;

    dead_results[(uintptr_t)arg] = ipc_recv(dead_ep, &out);
}

static void dead_sender(void *arg)
{
    struct ipc_msg m = make_msg(1, 0, 0);

    dead_results[(uintptr_t)arg] = ipc_send(dead_ep, &m);
}

static void dead_caller(void *arg)
{
    struct ipc_msg m = make_msg(1, 0, 0);

    dead_results[(uintptr_t)arg] = ipc_call(dead_ep, &m, &m);
}

static void destroy_with_waiters(struct ktest *t, unsigned depth, void (*fn)(void *), int count)
{
    uint32_t ids[4];

    KTEST_ASSERT_TRUE(t, endpoint_create(depth, &dead_ep) == 0);
    for (int i = 0; i < count; i++) {
        dead_results[i] = 12345;
        struct thread *th =
            thread_create("waiter", CONFIG_DEFAULT_PRIORITY + 1, fn, (void *)(uintptr_t)i);
        KTEST_ASSERT_TRUE(t, th != NULL);
        ids[i] = th->id;
        thread_yield();
    }
    endpoint_destroy(dead_ep);
    for (int i = 0; i < count; i++) {
        thread_join(ids[i]);
        KTEST_EXPECT_EQ(t, dead_results[i], E_DEAD);
    }
}

KTEST(ipc, destroy_wakes_blocked_receivers_with_dead)
{
    destroy_with_waiters(t, 0, dead_receiver, 3);
}

KTEST(ipc, destroy_wakes_blocked_senders_with_dead)
{
    destroy_with_waiters(t, 0, dead_sender, 3);
}

KTEST(ipc, destroy_wakes_queued_callers_with_dead)
{
    /* Depth 2: two calls wait in the mailbox for a reply, two more in send. */
    destroy_with_waiters(t, 2, dead_caller, 4);
}

KTEST(ipc, operations_on_a_destroyed_endpoint_fail)
{
    struct endpoint *ep;
    struct ipc_msg m = make_msg(1, 0, 0);

    KTEST_ASSERT_EQ(t, endpoint_create(1, &ep), 0);
    endpoint_destroy(ep);
    KTEST_EXPECT_EQ(t, ipc_send(ep, &m), E_DEAD);
    KTEST_EXPECT_EQ(t, ipc_try_send(ep, &m), E_DEAD);
    KTEST_EXPECT_EQ(t, ipc_recv(ep, &m), E_DEAD);
    KTEST_EXPECT_EQ(t, ipc_try_recv(ep, &m), E_DEAD);
    KTEST_EXPECT_EQ(t, ipc_call(ep, &m, &m), E_DEAD);
}

/* ---- call and reply ---- */

static struct endpoint *rpc_ep;
static int rpc_second_reply;
static int rpc_no_call_reply;

/* Answers one call with label + 1, then tries to answer it a second time. */
static void one_shot_server(void *arg)
{
    struct ipc_msg m = make_msg(0, 0, 0);

    (void)arg;
    rpc_no_call_reply = ipc_reply(&m);
    if (ipc_recv(rpc_ep, &m) != 0) {
        return;
    }
    m.label++;
    ipc_reply(&m);
    rpc_second_reply = ipc_reply(&m);
}

static void call_reply_run(struct ktest *t, unsigned depth)
{
    struct ipc_msg m = make_msg(41, 2, 5), reply;

    rpc_second_reply = 12345;
    KTEST_ASSERT_TRUE(t, endpoint_create(depth, &rpc_ep) == 0);
    struct thread *server = thread_create("server", CONFIG_DEFAULT_PRIORITY, one_shot_server, NULL);
    KTEST_ASSERT_TRUE(t, server != NULL);
    uint32_t server_id = server->id;
    KTEST_EXPECT_EQ(t, ipc_call(rpc_ep, &m, &reply), 0);
    KTEST_EXPECT_EQ(t, reply.label, 42);
    KTEST_EXPECT_EQ(t, reply.words[1], 6);
    KTEST_EXPECT_EQ(t, reply.badge, server_id);
    thread_join(server_id);
    KTEST_EXPECT_EQ(t, rpc_no_call_reply, E_INVAL);
    KTEST_EXPECT_EQ(t, rpc_second_reply, E_INVAL);
    endpoint_destroy(rpc_ep);
}

KTEST(ipc, call_reply_is_one_shot_rendezvous)
{
    call_reply_run(t, 0);
}

KTEST(ipc, call_reply_through_a_mailbox)
{
    call_reply_run(t, 2);
}

#define RPC_CLIENTS 3
#define RPC_CALLS   20

static void echo_server(void *arg)
{
    struct ipc_msg m;
    int err = ipc_recv(rpc_ep, &m);

    (void)arg;
    while (err == 0) {
        m.words[0] += 1;
        err = ipc_reply_recv(rpc_ep, &m, &m);
    }
}

static int rpc_client_errors;

static void rpc_client(void *arg)
{
    uint64_t base = (uint64_t)(uintptr_t)arg * 1000;

    for (uint64_t i = 0; i < RPC_CALLS; i++) {
        struct ipc_msg m = make_msg(1, 1, base + i);
        if (ipc_call(rpc_ep, &m, &m) != 0 || m.words[0] != base + i + 1) {
            rpc_client_errors++;
        }
    }
}

KTEST(ipc, reply_recv_serves_many_clients)
{
    uint32_t ids[RPC_CLIENTS];

    rpc_client_errors = 0;
    KTEST_ASSERT_EQ(t, endpoint_create(0, &rpc_ep), 0);
    struct thread *server = thread_create("echo", CONFIG_DEFAULT_PRIORITY + 2, echo_server, NULL);
    KTEST_ASSERT_TRUE(t, server != NULL);
    uint32_t server_id = server->id;
    for (uintptr_t i = 0; i < RPC_CLIENTS; i++) {
        struct thread *th =
            thread_create("client", CONFIG_DEFAULT_PRIORITY + 1, rpc_client, (void *)(i + 1));
        KTEST_ASSERT_TRUE(t, th != NULL);
        ids[i] = th->id;
    }
    for (int i = 0; i < RPC_CLIENTS; i++) {
        thread_join(ids[i]);
    }
    KTEST_EXPECT_EQ(t, rpc_client_errors, 0);
    endpoint_destroy(rpc_ep); /* the server wakes with E_DEAD and ends */
    thread_join(server_id);
}

static void exit_without_reply(void *arg)
{
    struct ipc_msg m;

    (void)arg;
    ipc_recv(rpc_ep, &m);
}

KTEST(ipc, caller_gets_dead_when_server_exits_without_reply)
{
    struct ipc_msg m = make_msg(1, 0, 0);

    KTEST_ASSERT_EQ(t, endpoint_create(0, &rpc_ep), 0);
    struct thread *server =
        thread_create("quitter", CONFIG_DEFAULT_PRIORITY, exit_without_reply, NULL);
    KTEST_ASSERT_TRUE(t, server != NULL);
    KTEST_EXPECT_EQ(t, ipc_call(rpc_ep, &m, &m), E_DEAD);
    endpoint_destroy(rpc_ep);
}

static void forgetful_server(void *arg)
{
    struct ipc_msg m;

    (void)arg;
    ipc_recv(rpc_ep, &m);
    ipc_recv(rpc_ep, &m); /* receives again without replying: the first caller is dropped */
}

KTEST(ipc, receiving_again_drops_the_unanswered_caller)
{
    struct ipc_msg m = make_msg(1, 0, 0);

    KTEST_ASSERT_EQ(t, endpoint_create(0, &rpc_ep), 0);
    struct thread *server =
        thread_create("forgetful", CONFIG_DEFAULT_PRIORITY, forgetful_server, NULL);
    KTEST_ASSERT_TRUE(t, server != NULL);
    uint32_t server_id = server->id;
    KTEST_EXPECT_EQ(t, ipc_call(rpc_ep, &m, &m), E_DEAD);
    endpoint_destroy(rpc_ep); /* wakes the server from its second recv */
    thread_join(server_id);
}
