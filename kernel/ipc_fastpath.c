/*
 * The IPC fast path: call and reply_recv between user threads, for short
 * messages, with the message going from the sender's registers straight
 * into the receiver's saved registers and the CPU going straight to the
 * receiver.
 *
 * It is a column of checks, each of which sends the call down the slow path
 * (kernel/ipc.c through kernel/syscall.c), which is the reference
 * behaviour; then a point of no return, after which the operation completes
 * here. Both paths give the same results: tests/qemu/test_user.py and the
 * usertest program exercise messages on both sides of the limit.
 *
 * The fast path applies when:
 *   - the message fits in registers (at most IPC_FAST_WORDS words) and
 *     carries no handle;
 *   - the endpoint is a live rendezvous (depth 0);
 *   - for call: a user thread waits to receive on it, holding no reply
 *     right; for reply_recv: the caller waits for our reply in a system
 *     call, and no sender waits on the endpoint (so we will block);
 *   - the thread we hand the CPU to is at least as important as every
 *     ready thread.
 */
#include "kernel/ipc_fastpath.h"

#include "hal/user.h"
#include "kernel/ipc.h"
#include "kernel/klock.h"
#include "kernel/thread.h"
#include "uapi/syscall.h"

#define unlikely(x) __builtin_expect(!!(x), 0)

static uint64_t fastpath_hits;

/* Copies the message in from's x1-x5 into to's x1-x5, and the badge into x6:
 * one call through the HAL, which alone knows where the registers are saved. */
static void fastpath_transfer(const struct trap_frame *from, struct trap_frame *to, uint64_t badge)
{
    uint64_t info = hal_syscall_reg(from, 1);

    hal_syscall_copy_message(from, to, MSGINFO(MSGINFO_LABEL(info), MSGINFO_LENGTH(info)),
                             MSGINFO_LENGTH(info), badge);
}

static bool fastpath_message_fits(const struct trap_frame *tf)
{
    uint64_t info = hal_syscall_reg(tf, 1);

    return MSGINFO_LENGTH(info) <= IPC_FAST_WORDS && !MSGINFO_HAS_HANDLE(info);
}

int ipc_fastpath_call(struct trap_frame *tf, struct endpoint *ep, struct ipc_msg *reply)
{
    struct thread *self = thread_current();

    KLOCK_ASSERT_HELD();
    if (unlikely(!fastpath_message_fits(tf) || !ep->alive || ep->depth != 0 ||
                 list_empty(&ep->receivers))) {
        return IPC_FASTPATH_NOT_TAKEN;
    }
    struct thread *server = LIST_ENTRY(ep->receivers.next, struct thread, rq.link);
    if (unlikely(!server->user_frame || server->reply_to || !sched_can_hand_off_to(server))) {
        return IPC_FASTPATH_NOT_TAKEN;
    }

    /* ---- point of no return ---- */
    list_remove(&server->rq.link);
    fastpath_transfer(tf, server->user_frame, self->badge);
    server->fast_delivered = true;
    server->reply_to = self;
    self->reply_from = server;
    self->recv_buf = reply; /* a slow reply lands here */
    self->user_frame = tf;
    self->fast_delivered = false;
    fastpath_hits++;
    int err = sched_block_and_switch_to(THREAD_BLOCKED_REPLY, server, 0);
    self->user_frame = NULL;
    return err;
}

int ipc_fastpath_reply_recv(struct trap_frame *tf, struct endpoint *ep, struct ipc_msg *next)
{
    struct thread *self = thread_current();
    struct thread *caller = self->reply_to;

    KLOCK_ASSERT_HELD();
    if (unlikely(!fastpath_message_fits(tf) || !caller || !ep->alive || ep->depth != 0 ||
                 !list_empty(&ep->senders))) {
        return IPC_FASTPATH_NOT_TAKEN;
    }
    if (unlikely(!caller->user_frame || caller->state != THREAD_BLOCKED_REPLY ||
                 !sched_can_hand_off_to(caller))) {
        return IPC_FASTPATH_NOT_TAKEN;
    }

    /* ---- point of no return ---- */
    fastpath_transfer(tf, caller->user_frame, self->badge);
    caller->fast_delivered = true;
    caller->reply_from = NULL;
    self->reply_to = NULL;
    self->recv_buf = next; /* a slow sender's message lands here */
    self->blocked_on = ep;
    self->user_frame = tf;
    self->fast_delivered = false;
    list_push_back(&ep->receivers, &self->rq.link);
    fastpath_hits++;
    int err = sched_block_and_switch_to(THREAD_BLOCKED_RECV, caller, 0);
    self->user_frame = NULL;
    return err;
}

uint64_t ipc_fastpath_count(void)
{
    return fastpath_hits;
}
