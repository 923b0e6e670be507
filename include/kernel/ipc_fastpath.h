/*
 * The IPC fast path between user threads (kernel/ipc_fastpath.c): call and
 * reply_recv with up to IPC_MAX_WORDS words and no handle, handed from one
 * trap frame to the other (words 4 and up from IPC buffer to IPC buffer)
 * and the CPU handed straight to the other thread. The entry, el0_fast in
 * arch/aarch64/vectors.S, tries it first and falls back to kernel_syscall,
 * the slow path and reference behaviour, when it returns.
 */
#ifndef KERNEL_IPC_FASTPATH_H
#define KERNEL_IPC_FASTPATH_H

#include <stdint.h>

struct trap_frame;

/*
 * Tries the call in tf (x0 endpoint handle, x1 msginfo, x2-x5 words).
 * Returns (having changed nothing) if the fast path does not apply;
 * otherwise the caller parks and the server runs: this never returns, and
 * the reply arrives in tf's registers. The kernel lock is held.
 */
void ipc_fastpath_call(struct trap_frame *tf);

/* The same for reply_recv: the reply in tf's registers goes to the waiting
 * caller, and the caller of this parks receiving on the endpoint in x0. */
void ipc_fastpath_reply_recv(struct trap_frame *tf);

/* How many operations took the fast path since boot. */
uint64_t ipc_fastpath_count(void);

#endif
