/*
 * The IPC fast path: call and reply_recv between user threads, for short
 * messages. The message goes from the sender's saved registers straight
 * into the receiver's, and the CPU goes straight to the receiver, which
 * returns to user mode at once: no struct ipc_msg, no run queue, no C
 * frames of the thread that wakes (it was parked, include/hal/user.h).
 *
 * It is a column of checks, one condition each, every one of which sends
 * the call down the slow path (kernel/ipc.c through kernel/syscall_ipc.c),
 * the reference behaviour; then a point of no return, after which the
 * operation completes here and does not come back. usertest's
 * fast_and_slow_ipc_paths_agree and the ktests of kernel/ipc.c hold the two
 * paths to the same results.
 */
#include "kernel/ipc_fastpath.h"

#include "hal/user.h"
#include "kernel/handle.h"
#include "kernel/ipc.h"
#include "kernel/klock.h"
#include "kernel/task.h"
#include "kernel/thread.h"
#include "uapi/syscall.h"

#define unlikely(x) __builtin_expect(!!(x), 0)

static uint64_t fastpath_hits;

/* Puts the message in from's x1-x5 into to's x1-x6, with badge, and a
 * result of 0 in to's x0: what to's blocked system call returns. */
static void fastpath_transfer(const struct trap_frame *from, struct trap_frame *to, uint64_t info,
                              uint64_t badge)
{
    hal_syscall_copy_message(from, to, MSGINFO(MSGINFO_LABEL(info), MSGINFO_LENGTH(info)),
                             MSGINFO_LENGTH(info), badge);
    hal_syscall_set_reg(to, 0, 0);
}

void ipc_fastpath_call(struct trap_frame *tf)
{
    struct thread *self = thread_current();
    uint64_t info = hal_syscall_reg(tf, 1);
    struct endpoint *ep =
        handle_object(&self->task->handles, hal_syscall_reg(tf, 0), HANDLE_ENDPOINT);

    KLOCK_ASSERT_HELD();
    if (unlikely(!ep)) {
        return; /* E_BADHANDLE is the slow path's answer */
    }
    if (unlikely(MSGINFO_LENGTH(info) > IPC_FAST_WORDS)) {
        return; /* words 4 and up are in the IPC buffer */
    }
    if (unlikely(MSGINFO_HAS_HANDLE(info))) {
        return; /* a handle moves on the slow path */
    }
    if (unlikely(!ep->alive)) {
        return; /* E_DEAD is the slow path's answer */
    }
    if (unlikely(ep->depth != 0)) {
        return; /* a mailbox queues the message */
    }
    if (unlikely(list_empty(&ep->receivers))) {
        return; /* nobody waits: the caller will */
    }
    struct thread *server = LIST_ENTRY(ep->receivers.next, struct thread, rq.link);
    if (unlikely(!thread_is_user(server))) {
        return; /* a kernel thread takes its messages in a struct */
    }
    if (unlikely(server->reply_to)) {
        return; /* it still owes a reply: the slow path wakes that caller */
    }
    if (unlikely(!sched_can_hand_off_to(server))) {
        return; /* a more important thread is ready */
    }

    /* ---- point of no return ---- */
    list_remove(&server->rq.link);
    server->blocked_on = NULL;
    fastpath_transfer(tf, server->user_frame, info, self->badge);
    server->reply_to = self;
    self->reply_from = server;
    self->recv_buf = NULL;
    fastpath_hits++;
    sched_park_and_resume(THREAD_BLOCKED_REPLY, server);
}

void ipc_fastpath_reply_recv(struct trap_frame *tf)
{
    struct thread *self = thread_current();
    struct thread *caller = self->reply_to;
    uint64_t info = hal_syscall_reg(tf, 1);
    struct endpoint *ep =
        handle_object(&self->task->handles, hal_syscall_reg(tf, 0), HANDLE_ENDPOINT);

    KLOCK_ASSERT_HELD();
    if (unlikely(!ep)) {
        return; /* E_BADHANDLE is the slow path's answer */
    }
    if (unlikely(MSGINFO_LENGTH(info) > IPC_FAST_WORDS)) {
        return; /* words 4 and up are in the IPC buffer */
    }
    if (unlikely(MSGINFO_HAS_HANDLE(info))) {
        return; /* a handle moves on the slow path */
    }
    if (unlikely(!caller)) {
        return; /* no reply owed: only a receive */
    }
    if (unlikely(!ep->alive)) {
        return; /* E_DEAD is the slow path's answer */
    }
    if (unlikely(ep->depth != 0)) {
        return; /* a mailbox may hold a message for us already */
    }
    if (unlikely(!list_empty(&ep->senders))) {
        return; /* a sender waits: we would not block */
    }
    if (unlikely(!thread_is_user(caller))) {
        return; /* a kernel thread takes its reply in a struct */
    }
    if (unlikely(!sched_can_hand_off_to(caller))) {
        return; /* a more important thread is ready */
    }

    /* ---- point of no return ---- */
    fastpath_transfer(tf, caller->user_frame, info, self->badge);
    caller->reply_from = NULL;
    self->reply_to = NULL;
    self->recv_buf = NULL;
    self->blocked_on = ep;
    list_push_back(&ep->receivers, &self->rq.link);
    fastpath_hits++;
    sched_park_and_resume(THREAD_BLOCKED_RECV, caller);
}

uint64_t ipc_fastpath_count(void)
{
    return fastpath_hits;
}
