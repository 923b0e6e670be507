/*
 * IPC endpoints (see include/kernel/ipc.h for the rules).
 *
 * Where a message can be:
 *   - in the sender's hands, while the sender waits in ep->senders;
 *   - in a mailbox slot (depth > 0), oldest at ep->head;
 *   - in the receiver's buffer, once delivered.
 * A receiver always takes the oldest: a queued message before a waiting
 * sender's, and a message moves from a waiting sender into the mailbox as
 * soon as a slot frees up. That keeps FIFO order without exceptions.
 *
 * A call is a send whose sender then waits in BLOCKED_REPLY. The receiver
 * that takes a call message gets the one-shot right to reply (reply_to).
 *
 * A handle sent with a message moves when the message does
 * (kernel/ipc_transfer.c): into a mailbox slot, which then holds a
 * reference, or into the receiving task's handle table. A message waiting
 * in its sender's hands holds nothing but the handle's number.
 *
 * Locking: the public operations take the kernel lock and end with a
 * preemption point; everything else here needs the lock held and never
 * switches threads, except by blocking the caller.
 */
#include "kernel/ipc.h"

#include "kernel/failpoint.h"
#include "kernel/handle.h"
#include "kernel/klock.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "kernel/trace.h"
#include "lib/string.h"
#include "uapi/errors.h"

static struct endpoint endpoints[CONFIG_MAX_ENDPOINTS];

static struct thread *thread_of(struct list_node *node)
{
    return LIST_ENTRY(node, struct thread, rq.link);
}

int endpoint_create(unsigned depth, struct endpoint **out)
{
    if (depth > CONFIG_MAX_ENDPOINT_DEPTH) {
        return E_INVAL;
    }
    unsigned long flags = klock_acquire();
    int err = E_NOSPC;
    /* A failed injection leaves the loop with nothing to search. */
    unsigned searched = failpoint_hit(FAILPOINT_ENDPOINT) ? 0 : CONFIG_MAX_ENDPOINTS;
    for (unsigned i = 0; i < searched; i++) {
        struct endpoint *ep = &endpoints[i];
        if (ep->refs == 0) {
            ep->refs = 1;
            ep->queued_refs = 0;
            ep->alive = true;
            ep->owner = NULL;
            ep->depth = depth;
            ep->head = 0;
            ep->count = 0;
            list_init(&ep->senders);
            list_init(&ep->receivers);
            *out = ep;
            err = 0;
            break;
        }
    }
    klock_release(flags);
    return err;
}

unsigned endpoint_slot(const struct endpoint *ep)
{
    return (unsigned)(ep - endpoints);
}

unsigned endpoint_count(void)
{
    unsigned long flags = klock_acquire();
    unsigned n = 0;

    for (unsigned i = 0; i < CONFIG_MAX_ENDPOINTS; i++) {
        n += endpoints[i].refs > 0;
    }
    klock_release(flags);
    return n;
}

unsigned endpoint_queued_transfers(void)
{
    unsigned n = 0;

    KLOCK_ASSERT_HELD();
    for (unsigned i = 0; i < CONFIG_MAX_ENDPOINTS; i++) {
        const struct endpoint *ep = &endpoints[i];
        for (unsigned k = 0; ep->refs > 0 && k < ep->count; k++) {
            n += ep->slots[(ep->head + k) % ep->depth].msg.transfer.state == IPC_TRANSFER_QUEUED;
        }
    }
    return n;
}

/* Copies a message's label and words, stamping the badge of the thread that
 * sent it. A handle that travels with it moves separately. */
static void msg_copy(struct ipc_msg *dst, const struct ipc_msg *src, uint64_t badge)
{
    dst->label = src->label;
    dst->length = src->length;
    dst->badge = badge;
    memcpy(dst->words, src->words, src->length * sizeof(src->words[0]));
}

/* The message sender sends: msg, or for a user thread (msg NULL) its
 * registers and IPC buffer, read into scratch. */
static struct ipc_msg *msg_source(const struct thread *sender, struct ipc_msg *msg,
                                  struct ipc_msg *scratch)
{
    if (msg) {
        return msg;
    }
    ipc_user_read_message(sender, scratch);
    return scratch;
}

/* Delivers src (sent by from; NULL: from a mailbox slot) to thread to, handle
 * and all: into dst, or for a user thread (dst NULL) into its registers and
 * IPC buffer. */
static void msg_deliver(struct thread *to, struct ipc_msg *dst, struct ipc_msg *src,
                        const struct thread *from, uint64_t badge)
{
    struct ipc_transfer transfer;

    ipc_transfer_to_thread(&transfer, src, from, to);
    if (dst) {
        msg_copy(dst, src, badge);
        dst->transfer = transfer;
    } else {
        ipc_user_write_message(to, src, badge, &transfer);
    }
}

/* Blocks the caller until a peer wakes it. A user thread parks (its message
 * is in its registers; it never returns here); a kernel thread waits with
 * its C frames, and gets the result back, as does a user thread whose
 * message and reply are structs on its stack (a fault's call,
 * kernel/user_fault.c). */
static int ipc_block(enum thread_state state)
{
    struct thread *self = thread_current();

    if (thread_is_user(self) && !self->recv_buf) {
        sched_park(state);
    }
    return sched_block(state);
}

/* Queues src (from thread from) in a mailbox slot; a handle becomes a reference there. */
static void msg_enqueue(struct endpoint *ep, const struct ipc_msg *src, const struct thread *from,
                        struct thread *caller)
{
    struct ipc_slot *slot = &ep->slots[(ep->head + ep->count) % ep->depth];

    msg_copy(&slot->msg, src, from->badge);
    ipc_transfer_to_slot(&slot->msg, src, from);
    slot->caller = caller;
    ep->count++;
}

/* Gives receiver the right to reply to caller (NULL for a plain send). A
 * right it still held is dropped, and that forgotten caller wakes with
 * E_DEAD rather than waiting forever. */
static void grant_reply_right(struct thread *receiver, struct thread *caller)
{
    struct thread *old = receiver->reply_to;

    if (old) {
        old->reply_from = NULL;
        sched_wake(old, E_DEAD);
    }
    receiver->reply_to = caller;
    if (caller) {
        caller->state = THREAD_BLOCKED_REPLY;
        caller->reply_from = receiver;
        caller->blocked_on = NULL;
    }
}

/* Releases the first waiting sender: its message goes into the mailbox tail
 * (mailbox) and it wakes, or it stays blocked waiting for a reply (call). */
static void admit_waiting_sender(struct endpoint *ep)
{
    struct list_node *node = list_pop_front(&ep->senders);

    if (!node) {
        return;
    }
    struct thread *s = thread_of(node);
    struct ipc_msg scratch;
    msg_enqueue(ep, msg_source(s, s->send_msg, &scratch), s, s->calling ? s : NULL);
    if (s->calling) {
        s->state = THREAD_BLOCKED_REPLY; /* the receiver is not known yet */
        s->blocked_on = NULL;
    } else {
        sched_wake(s, 0);
    }
}

/*
 * Sends msg (NULL: a user thread's registers) on ep; with calling, then
 * waits for the reply in reply (NULL: a user thread's registers).
 */
static int ipc_send_common(struct endpoint *ep, struct ipc_msg *msg, bool block, bool calling,
                           struct ipc_msg *reply)
{
    struct thread *self = thread_current();
    struct ipc_msg scratch;

    KLOCK_ASSERT_HELD();
    if (!ep->alive) {
        return E_DEAD;
    }
    if (msg && msg->length > IPC_MAX_WORDS) {
        return E_INVAL;
    }
    self->recv_buf = reply;

    /* A receiver is waiting (so nothing is queued): hand the message over. */
    struct list_node *node = list_pop_front(&ep->receivers);
    if (node) {
        struct thread *r = thread_of(node);
        trace_ipc_send(calling ? TRACE_IPC_CALL : TRACE_IPC_SEND_MSG, self, r, ep);
        msg_deliver(r, r->recv_buf, msg_source(self, msg, &scratch), self, self->badge);
        trace_ipc_recv(calling ? TRACE_IPC_CALL : TRACE_IPC_SEND_MSG, self, r, ep);
        grant_reply_right(r, calling ? self : NULL);
        if (calling) {
            /* Hand-off: the caller waits anyway, so run the receiver now. */
            return sched_block_and_switch_to(THREAD_BLOCKED_REPLY, r, 0);
        }
        sched_wake(r, 0);
        return 0;
    }

    /* Room in the mailbox (and nobody queued ahead of us, or there would be no room). */
    if (ep->count < ep->depth) {
        trace_ipc_send(calling ? TRACE_IPC_CALL : TRACE_IPC_SEND_MSG, self, NULL, ep);
        msg_enqueue(ep, msg_source(self, msg, &scratch), self, calling ? self : NULL);
        if (calling) {
            self->reply_from = NULL;
            return ipc_block(THREAD_BLOCKED_REPLY);
        }
        return 0;
    }

    if (!block) {
        return E_FULL;
    }
    self->send_msg = msg;
    self->calling = calling;
    self->blocked_on = ep;
    trace_ipc_send(calling ? TRACE_IPC_CALL : TRACE_IPC_SEND_MSG, self, NULL, ep);
    list_push_back(&ep->senders, &self->rq.link);
    return ipc_block(THREAD_BLOCKED_SEND);
}

/* Receives from ep into out (NULL: a user thread's registers). */
static int ipc_recv_common(struct endpoint *ep, struct ipc_msg *out, bool block)
{
    struct thread *self = thread_current();
    struct ipc_msg scratch;

    KLOCK_ASSERT_HELD();
    if (!ep->alive) {
        return E_DEAD;
    }

    /* The oldest message is in the mailbox. */
    if (ep->count > 0) {
        struct ipc_slot *slot = &ep->slots[ep->head];
        msg_deliver(self, out, &slot->msg, NULL, slot->msg.badge);
        trace_ipc_recv(slot->caller ? TRACE_IPC_CALL : TRACE_IPC_SEND_MSG, NULL, self, ep);
        grant_reply_right(self, slot->caller);
        ep->head = (ep->head + 1) % ep->depth;
        ep->count--;
        admit_waiting_sender(ep);
        return 0;
    }

    /* A rendezvous sender is waiting: take its message directly. */
    struct list_node *node = list_pop_front(&ep->senders);
    if (node) {
        struct thread *s = thread_of(node);
        msg_deliver(self, out, msg_source(s, s->send_msg, &scratch), s, s->badge);
        trace_ipc_recv(s->calling ? TRACE_IPC_CALL : TRACE_IPC_SEND_MSG, s, self, ep);
        if (s->calling) {
            grant_reply_right(self, s);
        } else {
            grant_reply_right(self, NULL);
            sched_wake(s, 0);
        }
        return 0;
    }

    if (!block) {
        return E_EMPTY;
    }
    grant_reply_right(self, NULL);
    self->recv_buf = out;
    self->blocked_on = ep;
    list_push_back(&ep->receivers, &self->rq.link);
    return ipc_block(THREAD_BLOCKED_RECV);
}

/*
 * The public operations: each takes the kernel lock, does its work, and ends with
 * a preemption point, where a more important thread it woke takes over.
 */
static int ipc_done(unsigned long flags, int result)
{
    sched_preempt_point();
    klock_release(flags);
    return result;
}

int ipc_send(struct endpoint *ep, struct ipc_msg *msg)
{
    unsigned long flags = klock_acquire();
    return ipc_done(flags, ipc_send_common(ep, msg, true, false, NULL));
}

int ipc_try_send(struct endpoint *ep, struct ipc_msg *msg)
{
    unsigned long flags = klock_acquire();
    return ipc_done(flags, ipc_send_common(ep, msg, false, false, NULL));
}

int ipc_call(struct endpoint *ep, struct ipc_msg *msg, struct ipc_msg *reply)
{
    unsigned long flags = klock_acquire();
    return ipc_done(flags, ipc_send_common(ep, msg, true, true, reply));
}

int ipc_recv(struct endpoint *ep, struct ipc_msg *out)
{
    unsigned long flags = klock_acquire();
    return ipc_done(flags, ipc_recv_common(ep, out, true));
}

int ipc_try_recv(struct endpoint *ep, struct ipc_msg *out)
{
    unsigned long flags = klock_acquire();
    return ipc_done(flags, ipc_recv_common(ep, out, false));
}

static int ipc_reply_common(struct ipc_msg *msg)
{
    struct thread *self = thread_current();
    struct thread *caller = self->reply_to;
    struct ipc_msg scratch;

    KLOCK_ASSERT_HELD();
    if ((msg && msg->length > IPC_MAX_WORDS) || !caller) {
        return E_INVAL;
    }
    KASSERT(caller->state == THREAD_BLOCKED_REPLY && caller->reply_from == self);
    self->reply_to = NULL;
    caller->reply_from = NULL;
    trace_ipc_send(TRACE_IPC_REPLY, self, caller, NULL);
    msg_deliver(caller, caller->recv_buf, msg_source(self, msg, &scratch), self, self->badge);
    trace_ipc_recv(TRACE_IPC_REPLY, self, caller, NULL);
    sched_wake(caller, 0);
    return 0;
}

int ipc_reply(struct ipc_msg *msg)
{
    unsigned long flags = klock_acquire();
    return ipc_done(flags, ipc_reply_common(msg));
}

int ipc_reply_recv(struct endpoint *ep, struct ipc_msg *reply, struct ipc_msg *out)
{
    unsigned long flags = klock_acquire();

    if (thread_current()->reply_to) {
        int err = ipc_reply_common(reply);
        if (err < 0) {
            return ipc_done(flags, err);
        }
    }
    return ipc_done(flags, ipc_recv_common(ep, out, true));
}

/* Wakes everyone waiting on ep with E_DEAD; drops what its mailbox holds. */
static void endpoint_kill(struct endpoint *ep)
{
    struct list_node *node;

    KLOCK_ASSERT_HELD();
    if (!ep->alive) {
        return;
    }
    ep->alive = false;
    while ((node = list_pop_front(&ep->senders)) != NULL) {
        sched_wake(thread_of(node), E_DEAD);
    }
    while ((node = list_pop_front(&ep->receivers)) != NULL) {
        sched_wake(thread_of(node), E_DEAD);
    }
    for (; ep->count > 0; ep->count--) {
        struct ipc_slot *slot = &ep->slots[ep->head];
        ipc_transfer_release(&slot->msg);
        if (slot->caller) {
            sched_wake(slot->caller, E_DEAD);
        }
        ep->head = (ep->head + 1) % ep->depth;
    }
}

void endpoint_ref(struct endpoint *ep)
{
    KLOCK_ASSERT_HELD();
    KASSERT(ep->refs > 0);
    ep->refs++;
}

/*
 * The mailboxes no task can reach any more. A handle waiting in a mailbox
 * holds a reference, so mailboxes that hold each other's handles (or their
 * own) keep each other alive after the last task lets go; yet nothing can
 * ever receive from them. A mark and sweep, as for file descriptors sent
 * over Unix sockets: an endpoint with a reference from anywhere but a
 * mailbox (a handle, a kernel thread) is reachable, and so is every
 * endpoint whose handle waits in a reachable one's mailbox; the rest die,
 * and their queued messages with them. Bounded by the endpoint table and
 * the mailbox depth.
 */
static void endpoint_collect_unreachable(void)
{
    static bool collecting;
    static bool reached[CONFIG_MAX_ENDPOINTS];
    static uint16_t work[CONFIG_MAX_ENDPOINTS];
    unsigned top = 0;

    if (collecting) {
        return; /* the sweep below frees what the nested unref would */
    }
    collecting = true;
    for (unsigned i = 0; i < CONFIG_MAX_ENDPOINTS; i++) {
        reached[i] = endpoints[i].refs > endpoints[i].queued_refs;
        if (reached[i]) {
            work[top++] = (uint16_t)i;
        }
    }
    while (top > 0) {
        const struct endpoint *ep = &endpoints[work[--top]];
        for (unsigned k = 0; k < ep->count; k++) {
            const struct ipc_transfer *t = &ep->slots[(ep->head + k) % ep->depth].msg.transfer;
            if (t->state == IPC_TRANSFER_QUEUED && t->type == HANDLE_ENDPOINT) {
                unsigned j = (unsigned)((struct endpoint *)t->object - endpoints);
                if (!reached[j]) {
                    reached[j] = true;
                    work[top++] = (uint16_t)j;
                }
            }
        }
    }
    for (unsigned i = 0; i < CONFIG_MAX_ENDPOINTS; i++) {
        if (endpoints[i].refs > 0 && !reached[i]) {
            endpoint_kill(&endpoints[i]);
        }
    }
    collecting = false;
}

void endpoint_queued_ref(unsigned type, void *object, int delta)
{
    KLOCK_ASSERT_HELD();
    if (type == HANDLE_ENDPOINT) {
        struct endpoint *ep = object;
        ep->queued_refs = (unsigned)((int)ep->queued_refs + delta);
        KASSERT(ep->queued_refs <= ep->refs);
    }
}

void endpoint_unref(struct endpoint *ep)
{
    KLOCK_ASSERT_HELD();
    KASSERT(ep->refs > 0);
    if (--ep->refs == 0) {
        endpoint_kill(ep);
    } else if (ep->refs == ep->queued_refs) {
        endpoint_collect_unreachable(); /* only mailboxes hold it now */
    }
}

void endpoint_destroy(struct endpoint *ep)
{
    unsigned long flags = klock_acquire();

    endpoint_kill(ep);
    endpoint_unref(ep); /* which collects, if only mailboxes hold it now */
    ipc_done(flags, 0);
}

void endpoint_kill_owned_by(const void *owner)
{
    KLOCK_ASSERT_HELD();
    for (unsigned i = 0; i < CONFIG_MAX_ENDPOINTS; i++) {
        if (endpoints[i].refs > 0 && endpoints[i].owner == owner) {
            endpoint_kill(&endpoints[i]);
        }
    }
}

void ipc_thread_exiting(struct thread *t)
{
    KLOCK_ASSERT_HELD();
    /* It owed a reply: that caller would wait forever. */
    if (t->reply_to) {
        t->reply_to->reply_from = NULL;
        sched_wake(t->reply_to, E_DEAD);
        t->reply_to = NULL;
    }
    /* It waits for a reply (only when killed): its server must not reply into a dead thread. */
    if (t->reply_from) {
        t->reply_from->reply_to = NULL;
        t->reply_from = NULL;
    }
    /* It waits in an endpoint's queue (only when killed). */
    if (t->blocked_on) {
        list_remove(&t->rq.link);
        t->blocked_on = NULL;
    }
    /* Its call waits in a mailbox (only when killed): the message may still be
     * delivered, but nobody will be there for the reply. */
    for (unsigned i = 0; i < CONFIG_MAX_ENDPOINTS; i++) {
        struct endpoint *ep = &endpoints[i];
        for (unsigned k = 0; ep->refs > 0 && k < ep->count; k++) {
            struct ipc_slot *slot = &ep->slots[(ep->head + k) % ep->depth];
            if (slot->caller == t) {
                slot->caller = NULL;
            }
        }
    }
}
