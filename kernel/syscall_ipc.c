/*
 * The IPC system calls, and the marshalling between a thread's registers
 * and IPC buffer and the kernel's struct ipc_msg (the registers are listed
 * in include/uapi/syscall.h).
 *
 * A message from user mode carries at most a handle's number; the handle
 * itself moves only when the message is delivered (kernel/ipc_transfer.c),
 * so a send that fails, or a message that is never taken, holds nothing.
 */
#include "hal/memory.h"
#include "hal/user.h"
#include "kernel/ipc.h"
#include "kernel/ipc_fastpath.h"
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

/* Builds the message the caller is sending: msginfo in x1, words 0-3 in
 * x2-x5, words 4 and up from its IPC buffer, and maybe a handle's number
 * (which must name a live handle now; it is looked up again at delivery). */
static int msg_from_user(struct trap_frame *tf, struct ipc_msg *m)
{
    uint64_t info = arg(tf, 1);
    uint32_t length = MSGINFO_LENGTH(info);

    if (length > IPC_MAX_WORDS) {
        return E_INVAL;
    }
    m->label = MSGINFO_LABEL(info);
    m->length = length;
    m->transfer.state = IPC_TRANSFER_NONE;
    for (unsigned i = 0; i < IPC_FAST_WORDS; i++) {
        m->words[i] = arg(tf, 2 + i);
    }
    if (length > IPC_FAST_WORDS) {
        const uint64_t *buffer = hal_phys_to_virt(thread_current()->ipc_buffer_pa);
        memcpy(&m->words[IPC_FAST_WORDS], &buffer[IPC_FAST_WORDS],
               (length - IPC_FAST_WORDS) * sizeof(uint64_t));
    }
    if (MSGINFO_HAS_HANDLE(info)) {
        struct handle h;
        int err = handle_lookup(&task_current()->handles, MSGINFO_HANDLE(info), HANDLE_FREE, &h);
        if (err < 0) {
            return err;
        }
        m->transfer.state = IPC_TRANSFER_SENT;
        m->transfer.handle = MSGINFO_HANDLE(info);
    }
    return 0;
}

/* Hands a received message to the caller: x1-x6 and its IPC buffer. A
 * handle that came with it is already in the caller's table. */
static void msg_to_user(struct trap_frame *tf, const struct ipc_msg *m)
{
    uint64_t info = MSGINFO(m->label, m->length);

    if (m->transfer.state == IPC_TRANSFER_RECEIVED) {
        info = MSGINFO_WITH_HANDLE(m->label, m->length, m->transfer.handle);
    }
    hal_syscall_set_reg(tf, 1, info);
    for (unsigned i = 0; i < IPC_FAST_WORDS; i++) {
        hal_syscall_set_reg(tf, 2 + i, i < m->length ? m->words[i] : 0);
    }
    hal_syscall_set_reg(tf, 6, m->badge);
    if (m->length > IPC_FAST_WORDS) {
        uint64_t *buffer = hal_phys_to_virt(thread_current()->ipc_buffer_pa);
        memcpy(&buffer[IPC_FAST_WORDS], &m->words[IPC_FAST_WORDS],
               (m->length - IPC_FAST_WORDS) * sizeof(uint64_t));
    }
}

/*
 * A user thread about to block in IPC marks where its registers are, so the
 * fast path of another thread can deliver straight into them.
 */
static void ipc_wait_begin(struct trap_frame *tf)
{
    thread_current()->user_frame = tf;
    thread_current()->fast_delivered = false;
}

/* After the blocking operation: hand the message over unless the fast path
 * already did. */
static void ipc_wait_end(struct trap_frame *tf, struct ipc_msg *m, int err)
{
    struct thread *self = thread_current();

    self->user_frame = NULL;
    if (err == 0 && !self->fast_delivered) {
        msg_to_user(tf, m);
    }
    self->fast_delivered = false;
}

enum send_kind { SEND_BLOCKING, SEND_TRY, SEND_CALL };

static long sys_send_common(struct trap_frame *tf, enum send_kind kind)
{
    struct endpoint *ep = NULL;
    struct ipc_msg m;
    struct ipc_msg reply;
    int err = syscall_lookup((long)arg(tf, 0), HANDLE_ENDPOINT, (void **)&ep);

    if (err < 0) {
        return err;
    }
    if (kind == SEND_CALL) {
        err = ipc_fastpath_call(tf, ep, &reply);
        if (err != IPC_FASTPATH_NOT_TAKEN) {
            ipc_wait_end(tf, &reply, err);
            return err;
        }
    }
    if ((err = msg_from_user(tf, &m)) < 0) {
        return err;
    }
    if (kind == SEND_CALL) {
        ipc_wait_begin(tf);
        err = ipc_call(ep, &m, &reply);
        ipc_wait_end(tf, &reply, err);
    } else if (kind == SEND_TRY) {
        err = ipc_try_send(ep, &m);
    } else {
        err = ipc_send(ep, &m);
    }
    return err;
}

long sys_send(struct trap_frame *tf)
{
    return sys_send_common(tf, SEND_BLOCKING);
}

long sys_try_send(struct trap_frame *tf)
{
    return sys_send_common(tf, SEND_TRY);
}

long sys_call(struct trap_frame *tf)
{
    return sys_send_common(tf, SEND_CALL);
}

static long sys_recv_common(struct trap_frame *tf, int block)
{
    struct endpoint *ep = NULL;
    struct ipc_msg m;
    int err = syscall_lookup((long)arg(tf, 0), HANDLE_ENDPOINT, (void **)&ep);

    if (err < 0) {
        return err;
    }
    ipc_wait_begin(tf);
    err = block ? ipc_recv(ep, &m) : ipc_try_recv(ep, &m);
    ipc_wait_end(tf, &m, err);
    return err;
}

long sys_recv(struct trap_frame *tf)
{
    return sys_recv_common(tf, 1);
}

long sys_try_recv(struct trap_frame *tf)
{
    return sys_recv_common(tf, 0);
}

long sys_reply(struct trap_frame *tf)
{
    struct ipc_msg m;
    int err = msg_from_user(tf, &m);

    return err < 0 ? err : ipc_reply(&m);
}

long sys_reply_recv(struct trap_frame *tf)
{
    struct endpoint *ep = NULL;
    struct ipc_msg m;
    int err = syscall_lookup((long)arg(tf, 0), HANDLE_ENDPOINT, (void **)&ep);

    if (err < 0) {
        return err;
    }
    err = ipc_fastpath_reply_recv(tf, ep, &m);
    if (err != IPC_FASTPATH_NOT_TAKEN) {
        ipc_wait_end(tf, &m, err);
        return err;
    }
    if ((err = msg_from_user(tf, &m)) < 0) {
        return err;
    }
    ipc_wait_begin(tf);
    err = ipc_reply_recv(ep, &m, &m);
    ipc_wait_end(tf, &m, err);
    return err;
}
