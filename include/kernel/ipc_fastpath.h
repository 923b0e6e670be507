/*
 * The register fast path for IPC between user threads (kernel/ipc_fastpath.c).
 * kernel/syscall.c tries it first for call and reply_recv and falls back to
 * the slow path, the reference behaviour, when it says NOT_TAKEN.
 */
#ifndef KERNEL_IPC_FASTPATH_H
#define KERNEL_IPC_FASTPATH_H

#include <stdint.h>

struct trap_frame;
struct endpoint;
struct ipc_msg;

/* Returned when the fast path does not apply: nothing has changed. */
#define IPC_FASTPATH_NOT_TAKEN 1

/*
 * Tries the call in tf (x1 msginfo, x2-x5 words) on ep. Returns
 * IPC_FASTPATH_NOT_TAKEN, or the call's result once the reply has come:
 * then, if thread_current()->fast_delivered, the reply is already in tf's
 * registers; otherwise it is in *reply, as the slow path left it.
 */
int ipc_fastpath_call(struct trap_frame *tf, struct endpoint *ep, struct ipc_msg *reply);

/*
 * Tries reply_recv: the reply in tf's registers, then a receive on ep.
 * Returns IPC_FASTPATH_NOT_TAKEN, or the receive's result: the message is
 * in tf's registers if thread_current()->fast_delivered, else in *next.
 */
int ipc_fastpath_reply_recv(struct trap_frame *tf, struct endpoint *ep, struct ipc_msg *next);

/* How many operations took the fast path since boot. */
uint64_t ipc_fastpath_count(void);

#endif
