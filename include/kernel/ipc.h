/*
 * IPC endpoints: how threads, kernel and user, talk.
 *
 * An endpoint has a queue depth fixed at creation:
 *   depth 0   a rendezvous, as in L4 and seL4: a message is handed directly
 *             from sender to receiver, and whoever comes first waits;
 *   depth N   a bounded mailbox: send returns once its message is queued,
 *             and waits only while N messages are already queued.
 *
 * Operations (each returns 0 or a negative code from uapi/errors.h):
 *   send / try_send     deliver a message; try_send says E_FULL instead of waiting
 *   recv / try_recv     take the next message; try_recv says E_EMPTY instead of waiting
 *   call                send, then wait for the receiver's reply
 *   reply               answer the last call this thread received (once)
 *   reply_recv          reply, then receive: a server's loop in one operation
 *
 * Rules: messages leave an endpoint in the order they entered it; blocked
 * senders and receivers are served first come, first served; nothing is
 * lost or duplicated; every waiter on a destroyed endpoint gets E_DEAD; a
 * message longer than IPC_MAX_WORDS is refused with E_INVAL.
 *
 * The operations must be called from a thread; they take the kernel lock
 * themselves and end with a preemption point. The endpoint_* calls need the
 * lock held and never switch threads (a waiter they wake runs later), except
 * endpoint_destroy, an operation of its own.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/config.h"
#include "lib/list.h"
#include "uapi/ipc.h"

struct thread;

/* A queued message, and the caller waiting for its reply if it came from call. */
struct ipc_slot {
    struct ipc_msg msg;
    struct thread *caller;
};

struct endpoint {
    unsigned refs;              /* references: its creator's, handles, ...; 0 = free slot */
    unsigned queued_refs;       /* ... of which handles waiting in mailboxes hold this many */
    bool alive;                 /* false once destroyed: every operation says E_DEAD */
    void *owner;                /* the task that created it (NULL for kernel threads) */
    unsigned depth;             /* 0: rendezvous; N: mailbox of N slots */
    unsigned head;              /* index of the oldest queued message */
    unsigned count;             /* messages queued */
    struct list_node senders;   /* threads in BLOCKED_SEND, oldest first */
    struct list_node receivers; /* threads in BLOCKED_RECV, oldest first */
    struct ipc_slot slots[CONFIG_MAX_ENDPOINT_DEPTH]; /* last: the fast path never reads them */
};

/* Creates an endpoint with depth 0..CONFIG_MAX_ENDPOINT_DEPTH, holding one
 * reference for the caller. Returns E_INVAL for a bad depth and E_NOSPC
 * when every endpoint is in use. Takes the kernel lock itself. */
int endpoint_create(unsigned depth, struct endpoint **out);

/* The endpoint's slot in the endpoint table, 0..CONFIG_MAX_ENDPOINTS - 1:
 * a name for it in reports and traces. */
unsigned endpoint_slot(const struct endpoint *ep);

/*
 * Takes and drops a reference. The last unref kills ep: every thread
 * waiting on it, and every caller whose call is still queued in it, wakes
 * with E_DEAD, queued messages are dropped, and its slot is freed. The
 * memory stays until then, so a stale handle can never reach a newer
 * endpoint.
 */
void endpoint_ref(struct endpoint *ep);
void endpoint_unref(struct endpoint *ep);

/* A handle to an object enters (+1) or leaves (-1) a mailbox slot, holding
 * its reference there (kernel/ipc_transfer.c). Endpoints count these: a
 * ring of mailboxes holding each other's handles, that no task can reach
 * any more, is found and killed when the last other reference goes. */
void endpoint_queued_ref(unsigned type, void *object, int delta);

/* Kill plus unref (endpoint_unref): what a kernel thread that created ep
 * does when done with it. Takes the lock; ends with a preemption point. */
void endpoint_destroy(struct endpoint *ep);

/* Kills every endpoint owner created (the owner task is dying): later
 * operations on them return E_DEAD. */
void endpoint_kill_owned_by(const void *owner);

/* How many endpoints are in use (takes the lock itself), and how many
 * handles their mailboxes hold (lock held). Tests use them to prove
 * nothing leaks. */
unsigned endpoint_count(void);
unsigned endpoint_queued_transfers(void);

int ipc_send(struct endpoint *ep, struct ipc_msg *msg);
int ipc_try_send(struct endpoint *ep, struct ipc_msg *msg);
int ipc_recv(struct endpoint *ep, struct ipc_msg *out);
int ipc_try_recv(struct endpoint *ep, struct ipc_msg *out);

/* Sends msg and waits for the reply, which lands in reply (may alias msg). */
int ipc_call(struct endpoint *ep, struct ipc_msg *msg, struct ipc_msg *reply);

/* Answers the call this thread received last. E_INVAL if the message is too
 * long or the thread owes no reply: it never received a call, it already
 * replied (the right is one-shot), or the caller is gone. */
int ipc_reply(struct ipc_msg *msg);

/* Replies if this thread owes a reply, then receives from ep into out. */
int ipc_reply_recv(struct endpoint *ep, struct ipc_msg *reply, struct ipc_msg *out);

/*
 * Moving a message's handle (kernel/ipc_transfer.c, which knows tasks and
 * their handle tables). Kernel lock held.
 *   to_thread: src's handle (SENT by from, or QUEUED in a slot, from NULL)
 *              goes into to's task's table; *dst says RECEIVED with its
 *              number, or NONE if there was none, the sender no longer has
 *              it, or to's table is full (the reference is dropped).
 *   to_slot:   src's handle (SENT by from) becomes a reference in dst.
 *   release:   a QUEUED handle is dropped with its message.
 */
void ipc_transfer_to_thread(struct ipc_transfer *dst, struct ipc_msg *src,
                            const struct thread *from, const struct thread *to);
void ipc_transfer_to_slot(struct ipc_msg *dst, const struct ipc_msg *src,
                          const struct thread *from);
void ipc_transfer_release(struct ipc_msg *msg);

/* Called when t exits: the caller t owes a reply wakes with E_DEAD. */
void ipc_thread_exiting(struct thread *t);

/*
 * A user thread's messages live in its saved registers and IPC buffer
 * (kernel/syscall_ipc.c, which knows the register ABI): read_message fills m
 * from t's, with a handle's number as an IPC_TRANSFER_SENT transfer;
 * write_message puts m, stamped with badge and with the handle transfer
 * says, into t's. The IPC operations above take NULL for "the calling user
 * thread's registers".
 */
void ipc_user_read_message(const struct thread *t, struct ipc_msg *m);
void ipc_user_write_message(struct thread *t, const struct ipc_msg *m, uint64_t badge,
                            const struct ipc_transfer *transfer);

#endif
