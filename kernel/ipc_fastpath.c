/*
 * The IPC fast path: call and reply_recv between user threads. The
 * message goes from the sender's saved registers straight into the
 * receiver's (and from IPC buffer to IPC buffer for words 4 and up), and
 * the CPU goes straight to the receiver, which
 * returns to user mode at once: no struct ipc_msg, no run queue, no C
 * frames of the thread that wakes (it was parked, include/hal/user.h).
 *
 * It is a column of checks, one condition each, every one of which sends
 * the call down the slow path (kernel/ipc.c through kernel/syscall_ipc.c),
 * the reference behaviour; then a point of no return, after which the
 * operation completes here and does not come back. usertest's fastpath.c
 * cases make each check fail in turn and hold the two paths to the same
 * results.
 */
#include "kernel/ipc_fastpath.h"

#include "hal/user.h"
#include "kernel/handle.h"
#include "kernel/ipc.h"
#include "kernel/sched_handoff.h"
#include "kernel/task.h"
#include "kernel/thread.h"
#include "kernel/trace.h"
#include "uapi/syscall.h"

#define unlikely(x) __builtin_expect(!!(x), 0)

/*
 * The low 16 bits of the message word: the length (bits 6..0), with the
 * handle bit (15) and bits that mean nothing (14..7) above it. At most
 * IPC_MAX_WORDS, they are the length, and the message asks nothing of the
 * slow path: no handle to move, no length past the end (E_INVAL). One
 * comparison tells both; a message with a spare bit set merely takes the
 * slow path, which ignores it.
 */
static inline unsigned fastpath_length(uint64_t info)
{
    return (uint16_t)info;
}
_Static_assert(MSGINFO_HAS_HANDLE(1u << 15) && (1u << 15) > IPC_MAX_WORDS &&
                   MSGINFO_LENGTH(~0ull) < (1u << 15),
               "the handle bit is above every length");

/*
 * The message: from's msginfo (label and length; no handle, the checks saw
 * to it) and words 0-3 in x1-x5 go into to's x1-x5, the sender's badge
 * into x6, and 0 into x0, what to's blocked system call returns. Words
 * past the length arrive as zero, as on the slow path: the receiver never
 * sees what the sender left in the registers it did not send. Words 4 and
 * up go from IPC buffer to IPC buffer, through the kernel's linear map:
 * both pages are the kernel's, mapped for as long as their threads live,
 * so the copy cannot fault.
 */
static inline void fastpath_transfer(const struct trap_frame *tf, const struct thread *from,
                                     struct thread *to, uint64_t info)
{
    unsigned words = fastpath_length(info); /* the checks saw it is the length */

    hal_syscall_copy_message(tf, to->user_frame, MSGINFO_PLAIN(info), from->badge);
    if (unlikely(words != IPC_FAST_WORDS)) {
        if (words < IPC_FAST_WORDS) {
            hal_syscall_clear_message_tail(to->user_frame, words);
        }
        for (unsigned i = IPC_FAST_WORDS; i < words; i++) {
            to->ipc_buffer[i] = from->ipc_buffer[i];
        }
    }
    hal_syscall_set_reg(to->user_frame, 0, 0);
}

/* The interrupts are masked from the exception on (the kernel lock is held,
 * include/kernel/klock.h) until the other thread's eret: the checks below
 * need no KLOCK_ASSERT_HELD of their own. */
void ipc_fastpath_call(struct trap_frame *tf)
{
    struct thread *self = thread_current();
    uint64_t info = hal_syscall_reg(tf, 1);
    struct endpoint *ep =
        handle_object(&self->task->handles, hal_syscall_reg(tf, 0), HANDLE_ENDPOINT);

    if (unlikely(!ep)) {
        return; /* E_BADHANDLE is the slow path's answer */
    }
    if (unlikely(fastpath_length(info) > IPC_MAX_WORDS)) {
        return; /* E_INVAL, or a handle to move: the slow path's work */
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
    trace_syscall_enter(SYS_CALL);
    trace_ipc_send(TRACE_IPC_CALL, self, server, ep);
    list_remove(&server->rq.link);
    server->blocked_on = NULL;
    fastpath_transfer(tf, self, server, info);
    trace_ipc_recv(TRACE_IPC_CALL, self, server, ep);
    server->reply_to = self;
    self->reply_from = server;
    sched_handoff_parked(self, THREAD_BLOCKED_REPLY, server);
}

void ipc_fastpath_reply_recv(struct trap_frame *tf)
{
    struct thread *self = thread_current();
    struct thread *caller = self->reply_to;
    uint64_t info = hal_syscall_reg(tf, 1);
    struct endpoint *ep =
        handle_object(&self->task->handles, hal_syscall_reg(tf, 0), HANDLE_ENDPOINT);

    if (unlikely(!ep)) {
        return; /* E_BADHANDLE is the slow path's answer */
    }
    if (unlikely(fastpath_length(info) > IPC_MAX_WORDS)) {
        return; /* E_INVAL, or a handle to move: the slow path's work */
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
    if (unlikely(caller->recv_buf)) {
        return; /* it takes its reply in a struct: a kernel thread, or a fault */
    }
    if (unlikely(!sched_can_hand_off_to(caller))) {
        return; /* a more important thread is ready */
    }

    /* ---- point of no return ---- */
    trace_syscall_enter(SYS_REPLY_RECV);
    trace_ipc_send(TRACE_IPC_REPLY, self, caller, NULL);
    fastpath_transfer(tf, self, caller, info);
    trace_ipc_recv(TRACE_IPC_REPLY, self, caller, NULL);
    caller->reply_from = NULL;
    self->reply_to = NULL;
    self->blocked_on = ep;
    list_push_back(&ep->receivers, &self->rq.link);
    sched_handoff_parked(self, THREAD_BLOCKED_RECV, caller);
}

/* The hand-off's cold end (include/kernel/sched_handoff.h), here with its
 * only user. */
void sched_handoff_finish_new_asid(struct thread *self, struct thread *next)
{
    task_activate(next->task);
    sched_handoff_finish(self, next);
}

/* Every operation the fast path completes ends in one
 * sched_handoff_parked, which only the fast path calls (the slow path's
 * sched_hand_off counts as an ordinary switch). */
uint64_t ipc_fastpath_count(void)
{
    return sched_handoffs;
}
