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

struct ipc_msg {
    uint32_t label;  /* what the message means, chosen by the protocol */
    uint32_t length; /* how many of words[] are used, 0..IPC_MAX_WORDS */
    uint64_t badge;  /* who sent it: stamped by the kernel, never by the sender */
    uint64_t words[IPC_MAX_WORDS];
    /* A handle travelling with the message, kept by the kernel while the
     * message is in flight (user programs see handle numbers in msginfo). */
    uint32_t transfer_type; /* 0: none */
    void *transfer_object;
};

#endif
