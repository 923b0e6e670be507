/* usertest: handles, messages, mailboxes, and handles in messages (see usertest.h). */
#include "usertest.h"

void test_handles(void)
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

void test_mailbox_and_long_messages(void)
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

void test_handle_transfer(void)
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

/*
 * A handle waiting in a mailbox holds its endpoint, and a mailbox can hold
 * a handle to itself, or to a second mailbox that holds one to it. Once no
 * task can reach such a ring, nothing could ever receive from it: the
 * kernel must notice and free it, and not free an endpoint a task can still
 * reach through a mailbox it holds. (utest_run checks that every endpoint
 * and queued handle comes back.)
 */
void test_unreachable_mailboxes_are_freed(void)
{
    uint64_t w[4] = {0};
    struct umsg m;

    /* A mailbox holding its own handle. */
    long self = sys_endpoint_create(1);
    CHECK(self >= 0);
    CHECK_EQ(sys_try_send(self, MSGINFO_WITH_HANDLE(1, 0, self), w), 0);
    CHECK_EQ(sys_handle_close(self), 0);

    /* Two mailboxes holding each other's. */
    long a = sys_endpoint_create(1);
    long b = sys_endpoint_create(1);
    CHECK(a >= 0 && b >= 0);
    CHECK_EQ(sys_try_send(a, MSGINFO_WITH_HANDLE(2, 0, b), w), 0);
    CHECK_EQ(sys_try_send(b, MSGINFO_WITH_HANDLE(3, 0, a), w), 0);
    CHECK_EQ(sys_handle_close(a), 0);
    CHECK_EQ(sys_handle_close(b), 0);

    /* The same ring while we still hold a: b lives on inside a's mailbox,
     * and comes out of it working. */
    a = sys_endpoint_create(1);
    b = sys_endpoint_create(1);
    CHECK(a >= 0 && b >= 0);
    CHECK_EQ(sys_try_send(a, MSGINFO_WITH_HANDLE(2, 0, b), w), 0);
    CHECK_EQ(sys_try_send(b, MSGINFO_WITH_HANDLE(3, 0, a), w), 0);
    CHECK_EQ(sys_handle_close(b), 0);
    CHECK_EQ(sys_try_recv(a, &m), 0);
    CHECK(MSGINFO_HAS_HANDLE(m.info));
    long b_again = (long)MSGINFO_HANDLE(m.info);
    CHECK_EQ(sys_try_recv(b_again, &m), 0); /* a's handle, queued there before */
    CHECK(MSGINFO_HAS_HANDLE(m.info));
    sys_handle_close((long)MSGINFO_HANDLE(m.info));
    CHECK_EQ(sys_try_send(b_again, MSGINFO(4, 0), w), 0);
    CHECK_EQ(sys_try_recv(b_again, &m), 0);
    CHECK_EQ(MSGINFO_LABEL(m.info), 4);
    sys_handle_close(b_again);
    sys_handle_close(a);
}

void test_server_killed_during_call(void)
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

/* Every message length from none to IPC_MAX_WORDS goes to echo and back,
 * three times over, with every word (registers and IPC buffer) plus one.
 * Which path each takes is fastpath.c's business. */
void test_every_message_length_round_trips(void)
{
    long ep = sys_endpoint_create(0);
    long handles[1] = {ep};
    long echo = sys_spawn("echo", handles, 1);
    struct umsg reply;

    CHECK(ep >= 0 && echo >= 0);
    for (unsigned round = 0; round < 3; round++) {
        for (uint32_t len = 0; len <= IPC_MAX_WORDS; len++) {
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

/* ---- handles carried in messages go nowhere when the message does ---- */

/*
 * reply_recv with a handle but nobody to reply to: the reply goes nowhere,
 * and must take no reference with it. Forty rounds are more than the
 * endpoint table holds, so a leaked reference per round would run it out.
 */
void test_reply_recv_without_a_caller_keeps_no_handle(void)
{
    uint64_t w[4] = {0};
    struct umsg m;

    for (int i = 0; i < 40; i++) {
        long passenger = sys_endpoint_create(0);
        long carrier = sys_endpoint_create(1);
        if (passenger < 0 || carrier < 0) {
            CHECK(passenger >= 0 && carrier >= 0);
            printf("    # round %d: endpoint_create: %ld, %ld\n", i, passenger, carrier);
            return;
        }
        CHECK_EQ(sys_try_send(carrier, MSGINFO(1, 0), w), 0); /* so recv returns at once */
        CHECK_EQ(sys_reply_recv(carrier, MSGINFO_WITH_HANDLE(2, 0, passenger), w, &m), 0);
        CHECK_EQ(MSGINFO_LABEL(m.info), 1);
        CHECK_EQ(sys_handle_close(passenger), 0);
        CHECK_EQ(sys_handle_close(carrier), 0);
    }
}

/* child:send-handle: a second thread blocks sending a handle (handle 1)
 * on a rendezvous nobody serves (handle 0); the main thread ends the task
 * under it. */
static char sender_stack[4096] __attribute__((aligned(16)));

static void blocked_sender(void *arg)
{
    uint64_t w[4] = {7, 0, 0, 0};

    (void)arg;
    sys_send(0, MSGINFO_WITH_HANDLE(9, 1, 1), w);
}

int child_send_handle_then_die(void)
{
    CHECK(thread_create(blocked_sender, NULL, sender_stack, sizeof(sender_stack)) > 0);
    sys_yield(); /* the sender blocks, its message in hand */
    return 0;
}

void test_a_killed_sender_keeps_no_handle(void)
{
    long ep = sys_endpoint_create(0);
    long passenger = sys_endpoint_create(0);
    long handles[2] = {ep, passenger};

    CHECK(ep >= 0 && passenger >= 0);
    for (int i = 0; i < 3; i++) {
        long child = usertest_spawn_child("send-handle", handles, 2);
        CHECK(child >= 0);
        CHECK_EQ(sys_task_wait(child), 0);
        CHECK_EQ(sys_handle_close(child), 0);
    }
    CHECK_EQ(sys_handle_close(passenger), 0);
    CHECK_EQ(sys_handle_close(ep), 0);
}

/* child:receive: waits for messages on handle 0 for ever. */
int child_receive_forever(void)
{
    struct umsg m;

    for (;;) {
        sys_recv(0, &m);
    }
}

/* A message with a handle reaches a receiver that is killed before it
 * runs again: the handle is already in its task's table, and goes with it. */
void test_a_killed_receiver_keeps_no_handle(void)
{
    long ep = sys_endpoint_create(0);
    long passenger = sys_endpoint_create(0);
    uint64_t w[4] = {0};

    CHECK(ep >= 0 && passenger >= 0);
    long child = usertest_spawn_child("receive", &ep, 1);
    CHECK(child >= 0);
    sys_yield(); /* the child waits in recv */
    CHECK_EQ(sys_send(ep, MSGINFO_WITH_HANDLE(3, 0, passenger), w), 0);
    CHECK_EQ(sys_task_kill(child), 0); /* before it ran again */
    CHECK_EQ(sys_task_wait(child), E_DEAD);
    CHECK_EQ(sys_handle_close(child), 0);
    CHECK_EQ(sys_handle_close(passenger), 0);
    CHECK_EQ(sys_handle_close(ep), 0);
}

/* A call carrying a handle to a server that takes it, then dies: the
 * caller's call fails with E_DEAD, and the handle went with the server. */
void test_a_dying_server_keeps_no_handle(void)
{
    long ep = sys_endpoint_create(0);
    long passenger = sys_endpoint_create(0);
    uint64_t w[4] = {1, 0, 0, 0};
    struct umsg reply;

    CHECK(ep >= 0 && passenger >= 0);
    long server = sys_spawn("fault server", &ep, 1);
    CHECK(server >= 0);
    CHECK_EQ(sys_call(ep, MSGINFO_WITH_HANDLE(1, 1, passenger), w, &reply), E_DEAD);
    CHECK_EQ(sys_task_wait(server), E_DEAD);
    CHECK_EQ(sys_handle_close(server), 0);
    CHECK_EQ(sys_handle_close(passenger), 0);
    CHECK_EQ(sys_handle_close(ep), 0);
}
