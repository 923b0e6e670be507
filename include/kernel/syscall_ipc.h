/*
 * Between kernel/syscall.c (the dispatcher and the other calls) and
 * kernel/syscall_ipc.c (the IPC calls and their message marshalling).
 */
#ifndef KERNEL_SYSCALL_IPC_H
#define KERNEL_SYSCALL_IPC_H

#include "kernel/handle.h"
#include "kernel/task.h"
#include "kernel/thread_internal.h"
#include "uapi/errors.h"

struct trap_frame;

/* The object behind handle h of the calling task, if it is of type type.
 * 0 or E_BADHANDLE. Inline: most system calls start with one. */
static inline int syscall_lookup(long h, enum handle_type type, void **object)
{
    void *found = handle_object(&thread_current()->task->handles, (uint64_t)h, type);

    if (!found) {
        return E_BADHANDLE;
    }
    *object = found;
    return 0;
}

long sys_send(struct trap_frame *tf);
long sys_try_send(struct trap_frame *tf);
long sys_call(struct trap_frame *tf);
long sys_recv(struct trap_frame *tf);
long sys_try_recv(struct trap_frame *tf);
long sys_reply(struct trap_frame *tf);
long sys_reply_recv(struct trap_frame *tf);

#endif
