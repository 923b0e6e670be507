/*
 * Demo "ipc": message passing between kernel threads over mailboxes.
 *
 * Scene 1 is the seed's ping/pong: two threads, two depth-1 mailboxes (one
 * per direction). Scene 2 shows backpressure: a producer floods a depth-4
 * mailbox, try_send reports E_FULL, and a blocking send then waits until
 * the consumer makes room.
 *
 *   make run DEMO=ipc CMDLINE="rounds=20 exit"
 */
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/demo.h"
#include "kernel/ipc.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "lib/errors.h"
#include "lib/printf.h"

enum { LABEL_PING = 1, LABEL_PONG = 2, LABEL_DATA = 3 };

#define BACKPRESSURE_DEPTH    4
#define BACKPRESSURE_MESSAGES 8

static struct endpoint *to_ping;
static struct endpoint *to_pong;
static uint64_t ipc_demo_rounds;

static void ping_main(void *arg)
{
    (void)arg;
    for (uint64_t seq = 1; seq <= ipc_demo_rounds; seq++) {
        struct ipc_msg msg = {.label = LABEL_PING, .length = 1, .words = {seq}};
        KASSERT(ipc_send(to_pong, &msg) == 0);
        kprintf("task/ping: sent ping seq=%llu\n", (unsigned long long)seq);
        KASSERT(ipc_recv(to_ping, &msg) == 0);
        KASSERT(msg.label == LABEL_PONG && msg.words[0] == seq);
        kprintf("task/ping: got pong seq=%llu\n", (unsigned long long)msg.words[0]);
    }
}

static void pong_main(void *arg)
{
    (void)arg;
    for (uint64_t i = 0; i < ipc_demo_rounds; i++) {
        struct ipc_msg msg;
        KASSERT(ipc_recv(to_pong, &msg) == 0);
        kprintf("task/pong: got ping seq=%llu\n", (unsigned long long)msg.words[0]);
        msg.label = LABEL_PONG;
        KASSERT(ipc_send(to_ping, &msg) == 0);
    }
}

static void scene_ping_pong(void)
{
    KASSERT(endpoint_create(1, &to_ping) == 0 && endpoint_create(1, &to_pong) == 0);
    struct thread *ping = thread_create("ping", CONFIG_DEFAULT_PRIORITY, ping_main, NULL);
    struct thread *pong = thread_create("pong", CONFIG_DEFAULT_PRIORITY, pong_main, NULL);
    KASSERT(ping && pong);
    uint32_t ping_id = ping->id;
    uint32_t pong_id = pong->id;
    thread_join(ping_id);
    thread_join(pong_id);
    endpoint_destroy(to_ping);
    endpoint_destroy(to_pong);
    kprintf("ipc: %llu round trips, in order\n", (unsigned long long)ipc_demo_rounds);
}

static struct endpoint *mailbox;

/* Higher priority than the consumer, so it runs ahead until the mailbox stops it. */
static void producer_main(void *arg)
{
    unsigned blocked = 0;

    (void)arg;
    for (uint64_t seq = 1; seq <= BACKPRESSURE_MESSAGES; seq++) {
        struct ipc_msg msg = {.label = LABEL_DATA, .length = 1, .words = {seq}};
        int err = ipc_try_send(mailbox, &msg);
        if (err == E_FULL) {
            kprintf("task/producer: try_send seq=%llu -> %s (mailbox holds %u)\n",
                    (unsigned long long)seq, error_name(err), BACKPRESSURE_DEPTH);
            kprintf("task/producer: send seq=%llu blocks until the consumer makes room\n",
                    (unsigned long long)seq);
            err = ipc_send(mailbox, &msg);
            blocked++;
            kprintf("task/producer: send seq=%llu done\n", (unsigned long long)seq);
        } else {
            kprintf("task/producer: try_send seq=%llu -> queued\n", (unsigned long long)seq);
        }
        KASSERT(err == 0);
    }
    kprintf("task/producer: all %u sent, blocked %u times\n", BACKPRESSURE_MESSAGES, blocked);
}

static void consumer_main(void *arg)
{
    (void)arg;
    for (uint64_t expected = 1; expected <= BACKPRESSURE_MESSAGES; expected++) {
        struct ipc_msg msg;
        KASSERT(ipc_recv(mailbox, &msg) == 0);
        KASSERT(msg.words[0] == expected);
        kprintf("task/consumer: got seq=%llu\n", (unsigned long long)msg.words[0]);
        thread_yield(); /* give the producer its turn to fill the free slot */
    }
}

static void scene_backpressure(void)
{
    KASSERT(endpoint_create(BACKPRESSURE_DEPTH, &mailbox) == 0);
    struct thread *producer =
        thread_create("producer", CONFIG_DEFAULT_PRIORITY + 1, producer_main, NULL);
    struct thread *consumer =
        thread_create("consumer", CONFIG_DEFAULT_PRIORITY + 1, consumer_main, NULL);
    KASSERT(producer && consumer);
    uint32_t producer_id = producer->id;
    uint32_t consumer_id = consumer->id;
    thread_join(producer_id);
    thread_join(consumer_id);
    endpoint_destroy(mailbox);
    kprintf("ipc: backpressure: %u messages through a depth-%u mailbox, none lost\n",
            BACKPRESSURE_MESSAGES, BACKPRESSURE_DEPTH);
}

DEMO(ipc, "ipc", "ping/pong over depth-1 mailboxes, then backpressure (rounds=N)")
{
    ipc_demo_rounds = 5;
    cmdline_get_u64(bi->cmdline, "rounds", &ipc_demo_rounds);
    kprintf("ipc: scene 1: ping/pong over two depth-1 mailboxes, %llu rounds\n",
            (unsigned long long)ipc_demo_rounds);
    scene_ping_pong();
    kprintf("ipc: scene 2: backpressure, a producer floods a depth-%u mailbox\n",
            BACKPRESSURE_DEPTH);
    scene_backpressure();
}
