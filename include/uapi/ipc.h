/*
 * The IPC message, as the kernel carries it between senders and receivers.
 * User programs see it through registers and their IPC buffer (see
 * uapi/syscall.h): the first IPC_FAST_WORDS words travel in x2-x5, and
 * word i beyond those is the i-th 64-bit word of the IPC buffer page.
 */
#ifndef UAPI_IPC_H
#define UAPI_IPC_H

#include <stdint.h>

/* Most words a message can carry. */
#define IPC_MAX_WORDS  64
/* Messages up to this many words fit in registers. */
#define IPC_FAST_WORDS 4

/*
 * A handle travelling with a message (user programs see only handle
 * numbers, in msginfo). Where it is depends on where the message is:
 *   SENT      in the sender's hands: handle is the sender's number, and
 *             nothing is held; it is looked up again at delivery;
 *   QUEUED    in a mailbox slot: object and type, with a reference;
 *   RECEIVED  delivered: handle is the receiver's number, installed in its
 *             table.
 */
enum ipc_transfer_state {
    IPC_TRANSFER_NONE = 0,
    IPC_TRANSFER_SENT,
    IPC_TRANSFER_QUEUED,
    IPC_TRANSFER_RECEIVED,
};

struct ipc_transfer {
    uint32_t state; /* enum ipc_transfer_state */
    uint32_t type;  /* QUEUED: enum handle_type */
    int64_t handle; /* SENT, RECEIVED: a handle number */
    void *object;   /* QUEUED */
};

struct ipc_msg {
    uint32_t label;  /* what the message means, chosen by the protocol */
    uint32_t length; /* how many of words[] are used, 0..IPC_MAX_WORDS */
    uint64_t badge;  /* who sent it: stamped by the kernel, never by the sender */
    uint64_t words[IPC_MAX_WORDS];
    struct ipc_transfer transfer;
};

#endif
