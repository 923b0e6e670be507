/*
 * The IPC system calls, and where a user thread's messages live: in its
 * saved registers and its IPC buffer (the registers are listed in
 * include/uapi/syscall.h).
 *
 * A user thread's message is never copied into the kernel while it waits:
 * a receiver takes it straight from the sender's registers and IPC buffer,
 * and puts its answer straight into the waiting thread's, which is parked
 * (include/hal/user.h) and goes back to user mode from there. A message
 * carries at most a handle's number; the handle itself moves only when the
 * message is delivered (kernel/ipc_transfer.c).
 */
#include "hal/memory.h"
#include "hal/user.h"
#include "kernel/ipc.h"
#include "kernel/klock.h"
#include "kernel/syscall_ipc.h"
#include "kernel/task.h"
#include "kernel/thread.h"
#include "lib/string.h"
#include "uapi/errors.h"
#include "uapi/syscall.h"

static uint64_t arg(struct trap_frame *tf, unsigned n)
{
    return hal_syscall_reg(tf, n);
}

void ipc_user_read_message(const struct thread *t, struct ipc_msg *m)
{
    const struct trap_frame *tf = t->user_frame;
    uint64_t info = hal_syscall_reg(tf, 1);

    m->label = MSGINFO_LABEL(info);
    m->length = MSGINFO_LENGTH(info);
    for (unsigned i = 0; i < IPC_FAST_WORDS; i++) {
        m->words[i] = hal_syscall_reg(tf, 2 + i);
    }
    if (m->length > IPC_FAST_WORDS) {
        const uint64_t *buffer = t->ipc_buffer;
        memcpy(&m->words[IPC_FAST_WORDS], &buffer[IPC_FAST_WORDS],
               (m->length - IPC_FAST_WORDS) * sizeof(uint64_t));
    }
    m->transfer.state = MSGINFO_HAS_HANDLE(info) ? IPC_TRANSFER_SENT : IPC_TRANSFER_NONE;
    m->transfer.handle = MSGINFO_HANDLE(info);
}

void ipc_user_write_message(struct thread *t, const struct ipc_msg *m, uint64_t badge,
                            const struct ipc_transfer *transfer)
{
    struct trap_frame *tf = t->user_frame;
    uint64_t info = MSGINFO(m->label, m->length);

    if (transfer->state == IPC_TRANSFER_RECEIVED) {
        info = MSGINFO_WITH_HANDLE(m->label, m->length, transfer->handle);
    }
    hal_syscall_set_reg(tf, 1, info);
    for (unsigned i = 0; i < IPC_FAST_WORDS; i++) {
        hal_syscall_set_reg(tf, 2 + i, i < m->length ? m->words[i] : 0);
    }
    hal_syscall_set_reg(tf, 6, badge);
    if (m->length > IPC_FAST_WORDS) {
        uint64_t *buffer = t->ipc_buffer;
        memcpy(&buffer[IPC_FAST_WORDS], &m->words[IPC_FAST_WORDS],
               (m->length - IPC_FAST_WORDS) * sizeof(uint64_t));
    }
}

/* Checks the message the caller sends (msginfo in x1): its length, and the
 * handle it names, which must be live now (it is looked up again at
 * delivery). */
static int msg_check(struct trap_frame *tf)
{
    uint64_t info = arg(tf, 1);
    struct handle h;

    if (MSGINFO_LENGTH(info) > IPC_MAX_WORDS) {
        return E_INVAL;
    }
    if (MSGINFO_HAS_HANDLE(info)) {
        return handle_lookup(&task_current()->handles, MSGINFO_HANDLE(info), HANDLE_FREE, &h);
    }
    return 0;
}

static int endpoint_arg(struct trap_frame *tf, struct endpoint **ep)
{
    return syscall_lookup((long)arg(tf, 0), HANDLE_ENDPOINT, (void **)ep);
}

/* The arguments of every call that sends: an endpoint, then the message. */
static int send_args(struct trap_frame *tf, struct endpoint **ep)
{
    int err = endpoint_arg(tf, ep);

    return err < 0 ? err : msg_check(tf);
}

long sys_send(struct trap_frame *tf)
{
    struct endpoint *ep;
    int err = send_args(tf, &ep);

    return err < 0 ? err : ipc_send(ep, NULL);
}

long sys_try_send(struct trap_frame *tf)
{
    struct endpoint *ep;
    int err = send_args(tf, &ep);

    return err < 0 ? err : ipc_try_send(ep, NULL);
}

long sys_call(struct trap_frame *tf)
{
    struct endpoint *ep;
    int err = send_args(tf, &ep);

    return err < 0 ? err : ipc_call(ep, NULL, NULL);
}

long sys_recv(struct trap_frame *tf)
{
    struct endpoint *ep;
    int err = endpoint_arg(tf, &ep);

    return err < 0 ? err : ipc_recv(ep, NULL);
}

long sys_try_recv(struct trap_frame *tf)
{
    struct endpoint *ep;
    int err = endpoint_arg(tf, &ep);

    return err < 0 ? err : ipc_try_recv(ep, NULL);
}

long sys_reply(struct trap_frame *tf)
{
    int err = msg_check(tf);

    return err < 0 ? err : ipc_reply(NULL);
}

long sys_reply_recv(struct trap_frame *tf)
{
    struct endpoint *ep;
    int err = send_args(tf, &ep);

    return err < 0 ? err : ipc_reply_recv(ep, NULL, NULL);
}
