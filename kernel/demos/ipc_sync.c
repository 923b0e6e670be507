/*
 * Demo "ipc-sync": the L4 client/server pattern over a depth-0 (rendezvous)
 * endpoint. The client calls; the server answers with reply_recv, which
 * replies and waits for the next request in one operation. Nothing is ever
 * queued: each message goes straight from one thread to the other.
 *
 *   make run DEMO=ipc-sync CMDLINE="rounds=20 exit"
 */
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/demo.h"
#include "kernel/ipc.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "lib/printf.h"

enum { LABEL_PING = 1, LABEL_PONG = 2 };

static struct endpoint *service;
static uint64_t sync_demo_rounds;

static void server_main(void *arg)
{
    struct ipc_msg msg;

    (void)arg;
    int err = ipc_recv(service, &msg);
    while (err == 0) {
        kprintf("task/server: got ping seq=%llu from thread %llu, replying pong\n",
                (unsigned long long)msg.words[0], (unsigned long long)msg.badge);
        msg.label = LABEL_PONG;
        err = ipc_reply_recv(service, &msg, &msg);
    }
    kprintf("task/server: endpoint closed, exiting\n");
}

static void client_main(void *arg)
{
    (void)arg;
    for (uint64_t seq = 1; seq <= sync_demo_rounds; seq++) {
        struct ipc_msg msg = {.label = LABEL_PING, .length = 1, .words = {seq}};
        kprintf("task/client: call ping seq=%llu\n", (unsigned long long)seq);
        KASSERT(ipc_call(service, &msg, &msg) == 0);
        KASSERT(msg.label == LABEL_PONG && msg.words[0] == seq);
        kprintf("task/client: got pong seq=%llu\n", (unsigned long long)msg.words[0]);
    }
}

DEMO(ipc_sync, "ipc-sync", "client/server with call and reply_recv on a rendezvous endpoint")
{
    sync_demo_rounds = 5;
    cmdline_get_u64(bi->cmdline, "rounds", &sync_demo_rounds);
    KASSERT(endpoint_create(0, &service) == 0);
    struct thread *server = thread_create("server", CONFIG_DEFAULT_PRIORITY + 1, server_main, NULL);
    struct thread *client = thread_create("client", CONFIG_DEFAULT_PRIORITY, client_main, NULL);
    KASSERT(server && client);
    uint32_t server_id = server->id;
    uint32_t client_id = client->id;
    thread_join(client_id);
    endpoint_destroy(service); /* the server's reply_recv returns E_DEAD */
    thread_join(server_id);
    kprintf("ipc-sync: %llu calls answered, in order\n", (unsigned long long)sync_demo_rounds);
}
