/*
 * Handles carried in messages (kernel/ipc_transfer.c): a handle moves when
 * its message is delivered, and a message that is never delivered holds
 * no reference. Two stand-in tasks, A and B, hold handle tables; the test
 * thread plays a thread of either by setting its task for a moment.
 */
#include "kernel/handle.h"
#include "kernel/ipc.h"
#include "kernel/klock.h"
#include "kernel/task.h"
#include "kernel/thread.h"
#include "lib/ktest.h"
#include "lib/string.h"
#include "uapi/errors.h"

static struct task task_a;
static struct task task_b;

static void tasks_reset(void)
{
    memset(&task_a, 0, sizeof(task_a));
    memset(&task_b, 0, sizeof(task_b));
    handle_table_init(&task_a.handles);
    handle_table_init(&task_b.handles);
}

/* Gives t a handle to ep, holding its own reference. */
static int give_handle(struct task *t, struct endpoint *ep)
{
    unsigned long flags = klock_acquire();
    endpoint_ref(ep);
    int h = handle_install_new(&t->handles, HANDLE_ENDPOINT, ep);
    klock_release(flags);
    return h;
}

static void close_all(struct task *t)
{
    unsigned long flags = klock_acquire();
    handle_close_all(&t->handles);
    klock_release(flags);
}

static struct ipc_msg message_with(long handle)
{
    struct ipc_msg m;

    memset(&m, 0, sizeof(m));
    m.label = 7;
    m.transfer.state = IPC_TRANSFER_SENT;
    m.transfer.handle = handle;
    return m;
}

KTEST(ipc_transfer, a_mailbox_holds_a_reference_until_a_receiver_takes_it)
{
    struct endpoint *passenger, *mailbox;
    struct ipc_msg out;
    struct thread *self = thread_current();

    tasks_reset();
    KTEST_ASSERT_EQ(t, endpoint_create(0, &passenger), 0);
    KTEST_ASSERT_EQ(t, endpoint_create(2, &mailbox), 0);
    int ha = give_handle(&task_a, passenger);
    KTEST_ASSERT_TRUE(t, ha >= 0);

    struct ipc_msg m = message_with(ha);
    self->task = &task_a;
    KTEST_EXPECT_EQ(t, ipc_try_send(mailbox, &m), 0);
    self->task = NULL;
    KTEST_EXPECT_EQ(t, passenger->refs, 3); /* ours, A's handle, the queued message */
    unsigned long flags = klock_acquire();
    KTEST_EXPECT_EQ(t, endpoint_queued_transfers(), 1);
    klock_release(flags);
    close_all(&task_a); /* the sender lets go: the message still holds one */
    KTEST_EXPECT_EQ(t, passenger->refs, 2);

    self->task = &task_b;
    KTEST_EXPECT_EQ(t, ipc_try_recv(mailbox, &out), 0);
    self->task = NULL;
    KTEST_EXPECT_EQ(t, out.transfer.state, IPC_TRANSFER_RECEIVED);
    struct handle h;
    flags = klock_acquire();
    KTEST_EXPECT_EQ(t, handle_lookup(&task_b.handles, out.transfer.handle, HANDLE_ENDPOINT, &h), 0);
    KTEST_EXPECT_EQ(t, endpoint_queued_transfers(), 0);
    klock_release(flags);
    KTEST_EXPECT_TRUE(t, h.object == passenger);
    KTEST_EXPECT_EQ(t, passenger->refs, 2); /* ours and B's: the reference moved */
    close_all(&task_b);
    KTEST_EXPECT_EQ(t, passenger->refs, 1);
    endpoint_destroy(mailbox);
    endpoint_destroy(passenger);
}

KTEST(ipc_transfer, a_dying_mailbox_drops_what_it_holds)
{
    struct endpoint *passenger, *mailbox;
    struct thread *self = thread_current();

    tasks_reset();
    KTEST_ASSERT_EQ(t, endpoint_create(0, &passenger), 0);
    KTEST_ASSERT_EQ(t, endpoint_create(1, &mailbox), 0);
    struct ipc_msg m = message_with(give_handle(&task_a, passenger));
    self->task = &task_a;
    KTEST_EXPECT_EQ(t, ipc_try_send(mailbox, &m), 0);
    self->task = NULL;
    close_all(&task_a);
    KTEST_EXPECT_EQ(t, passenger->refs, 2);
    endpoint_destroy(mailbox); /* nobody will ever receive it */
    KTEST_EXPECT_EQ(t, passenger->refs, 1);
    endpoint_destroy(passenger);
}

/* As task A, sends A's handle h (to some endpoint) into mailbox. */
static int send_handle_as_a(struct endpoint *mailbox, long h)
{
    struct ipc_msg m = message_with(h);
    struct thread *self = thread_current();

    self->task = &task_a;
    int err = ipc_try_send(mailbox, &m);
    self->task = NULL;
    return err;
}

static void unref(struct endpoint *ep)
{
    unsigned long flags = klock_acquire();
    endpoint_unref(ep);
    klock_release(flags);
}

static unsigned live_endpoints(void)
{
    unsigned long flags = klock_acquire();
    unsigned n = endpoint_count();
    klock_release(flags);
    return n;
}

/*
 * Three mailboxes in a ring, each holding the next one's handle: once
 * nothing but the ring holds them, nothing can ever receive from them, and
 * endpoint_collect_unreachable must free all three. While one reference
 * from outside the ring remains (here, ours), the whole ring is reachable
 * through it and must stay.
 */
KTEST(ipc_transfer, a_ring_of_mailboxes_is_freed_when_nothing_else_holds_it)
{
    struct endpoint *ring[3];
    long h[3];
    unsigned before = live_endpoints();

    tasks_reset();
    for (unsigned i = 0; i < 3; i++) {
        KTEST_ASSERT_EQ(t, endpoint_create(1, &ring[i]), 0);
        h[i] = give_handle(&task_a, ring[i]);
        KTEST_ASSERT_TRUE(t, h[i] >= 0);
    }
    for (unsigned i = 0; i < 3; i++) {
        KTEST_EXPECT_EQ(t, send_handle_as_a(ring[i], h[(i + 1) % 3]), 0);
    }
    close_all(&task_a);
    unref(ring[1]);
    unref(ring[2]);
    /* ring[0] is ours still, and through it the other two. */
    KTEST_EXPECT_EQ(t, live_endpoints(), before + 3);
    KTEST_EXPECT_TRUE(t, ring[1]->alive && ring[2]->alive);
    unref(ring[0]);
    KTEST_EXPECT_EQ(t, live_endpoints(), before);
    unsigned long flags = klock_acquire();
    KTEST_EXPECT_EQ(t, endpoint_queued_transfers(), 0);
    klock_release(flags);
}

/* A mailbox holding its own handle is a ring of one. */
KTEST(ipc_transfer, a_mailbox_holding_its_own_handle_is_freed)
{
    struct endpoint *self_ring;
    unsigned before = live_endpoints();

    tasks_reset();
    KTEST_ASSERT_EQ(t, endpoint_create(1, &self_ring), 0);
    long h = give_handle(&task_a, self_ring);
    KTEST_EXPECT_EQ(t, send_handle_as_a(self_ring, h), 0);
    close_all(&task_a);
    KTEST_EXPECT_EQ(t, live_endpoints(), before + 1);
    unref(self_ring);
    KTEST_EXPECT_EQ(t, live_endpoints(), before);
}

/* A sender in task A blocks on a rendezvous with a handle in its message. */
static struct endpoint *meeting;
static long blocked_send_result;

static void sender_in_task_a(void *arg)
{
    struct ipc_msg m = message_with((long)(intptr_t)arg);

    blocked_send_result = ipc_send(meeting, &m);
}

KTEST(ipc_transfer, a_handle_closed_before_delivery_does_not_arrive)
{
    struct endpoint *passenger;
    struct ipc_msg out;
    struct thread *self = thread_current();

    tasks_reset();
    KTEST_ASSERT_EQ(t, endpoint_create(0, &passenger), 0);
    KTEST_ASSERT_EQ(t, endpoint_create(0, &meeting), 0);
    int ha = give_handle(&task_a, passenger);
    unsigned long flags = klock_acquire();
    struct thread *sender = thread_create_suspended("sender", CONFIG_DEFAULT_PRIORITY + 1,
                                                    sender_in_task_a, (void *)(intptr_t)ha);
    KTEST_ASSERT_TRUE(t, sender != NULL);
    sender->task = &task_a;
    thread_start(sender);
    sched_preempt_point(); /* it runs, and blocks in send holding only the number */
    klock_release(flags);
    KTEST_EXPECT_EQ(t, sender->state, THREAD_BLOCKED_SEND);
    KTEST_EXPECT_EQ(t, passenger->refs, 2); /* ours and A's handle: the message holds none */
    close_all(&task_a);                     /* another thread of A closes it meanwhile */
    KTEST_EXPECT_EQ(t, passenger->refs, 1);

    self->task = &task_b;
    KTEST_EXPECT_EQ(t, ipc_recv(meeting, &out), 0);
    self->task = NULL;
    KTEST_EXPECT_EQ(t, out.label, 7);
    KTEST_EXPECT_EQ(t, out.transfer.state, IPC_TRANSFER_NONE);
    flags = klock_acquire();
    KTEST_EXPECT_EQ(t, handle_count(&task_b.handles), 0);
    klock_release(flags);
    thread_yield(); /* the sender finishes */
    KTEST_EXPECT_EQ(t, blocked_send_result, 0);
    KTEST_EXPECT_EQ(t, passenger->refs, 1);
    endpoint_destroy(meeting);
    endpoint_destroy(passenger);
}

KTEST(ipc_transfer, a_full_table_or_a_kernel_thread_drops_the_handle)
{
    struct endpoint *passenger, *mailbox, *filler;
    struct ipc_msg out;
    struct thread *self = thread_current();

    tasks_reset();
    KTEST_ASSERT_EQ(t, endpoint_create(0, &passenger), 0);
    KTEST_ASSERT_EQ(t, endpoint_create(2, &mailbox), 0);
    KTEST_ASSERT_EQ(t, endpoint_create(0, &filler), 0);
    for (int i = 0; i < CONFIG_MAX_HANDLES; i++) {
        KTEST_ASSERT_TRUE(t, give_handle(&task_b, filler) >= 0);
    }
    int ha = give_handle(&task_a, passenger);
    struct ipc_msg m = message_with(ha);
    self->task = &task_a;
    KTEST_EXPECT_EQ(t, ipc_try_send(mailbox, &m), 0);
    KTEST_EXPECT_EQ(t, ipc_try_send(mailbox, &m), 0);
    self->task = &task_b; /* full: the handle is dropped, the words arrive */
    KTEST_EXPECT_EQ(t, ipc_try_recv(mailbox, &out), 0);
    KTEST_EXPECT_EQ(t, out.transfer.state, IPC_TRANSFER_NONE);
    self->task = NULL; /* a kernel thread keeps no handles */
    KTEST_EXPECT_EQ(t, ipc_try_recv(mailbox, &out), 0);
    KTEST_EXPECT_EQ(t, out.transfer.state, IPC_TRANSFER_NONE);
    KTEST_EXPECT_EQ(t, passenger->refs, 2); /* ours and A's: neither message kept one */
    close_all(&task_a);
    close_all(&task_b);
    KTEST_EXPECT_EQ(t, passenger->refs, 1);
    KTEST_EXPECT_EQ(t, filler->refs, 1);
    endpoint_destroy(filler);
    endpoint_destroy(mailbox);
    endpoint_destroy(passenger);
}
