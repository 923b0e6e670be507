/*
 * Handles that travel with messages (see include/kernel/ipc.h and the
 * states in include/uapi/ipc.h).
 *
 * A handle moves at delivery, never when the message is built: one place
 * takes the reference (installing into the receiver's table, or queuing in
 * a mailbox slot) and one place drops it (closing the handle, or the slot's
 * message going away). So a message that never arrives, because its sender
 * was killed, its endpoint died, or nobody was there to take a reply, has
 * nothing to give back.
 */
#include "kernel/handle.h"
#include "kernel/ipc.h"
#include "kernel/klock.h"
#include "kernel/task.h"
#include "kernel/thread.h"

/* The object behind the handle from sent, if its sender still has it. */
static bool transfer_lookup(const struct ipc_msg *src, const struct thread *from,
                            struct handle *out)
{
    return src->transfer.state == IPC_TRANSFER_SENT && from && from->task &&
           handle_lookup(&from->task->handles, src->transfer.handle, HANDLE_FREE, out) == 0;
}

void ipc_transfer_to_thread(struct ipc_transfer *dst, struct ipc_msg *src,
                            const struct thread *from, const struct thread *to)
{
    struct handle h;

    KLOCK_ASSERT_HELD();
    dst->state = IPC_TRANSFER_NONE;
    if (src->transfer.state == IPC_TRANSFER_QUEUED) {
        h.type = (enum handle_type)src->transfer.type;
        h.object = src->transfer.object;
        src->transfer.state = IPC_TRANSFER_NONE; /* its reference moves on */
        endpoint_queued_ref(h.type, h.object, -1);
    } else if (transfer_lookup(src, from, &h)) {
        object_ref(h.type, h.object);
    } else {
        return;
    }
    if (!to->task) {
        object_unref(h.type, h.object); /* a kernel thread keeps no handles */
        return;
    }
    int number = handle_install_new(&to->task->handles, h.type, h.object);
    if (number < 0) {
        return; /* the table is full: the handle is dropped (uapi/syscall.h) */
    }
    dst->state = IPC_TRANSFER_RECEIVED;
    dst->handle = number;
}

void ipc_transfer_to_slot(struct ipc_msg *dst, const struct ipc_msg *src, const struct thread *from)
{
    struct handle h;

    KLOCK_ASSERT_HELD();
    dst->transfer.state = IPC_TRANSFER_NONE;
    if (transfer_lookup(src, from, &h)) {
        object_ref(h.type, h.object);
        endpoint_queued_ref(h.type, h.object, +1);
        dst->transfer.state = IPC_TRANSFER_QUEUED;
        dst->transfer.type = h.type;
        dst->transfer.object = h.object;
    }
}

void ipc_transfer_release(struct ipc_msg *msg)
{
    KLOCK_ASSERT_HELD();
    if (msg->transfer.state == IPC_TRANSFER_QUEUED) {
        msg->transfer.state = IPC_TRANSFER_NONE;
        endpoint_queued_ref(msg->transfer.type, msg->transfer.object, -1);
        object_unref((enum handle_type)msg->transfer.type, msg->transfer.object);
    }
}
