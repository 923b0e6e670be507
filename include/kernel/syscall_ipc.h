/*
 * Between kernel/syscall.c (the dispatcher and the other calls) and
 * kernel/syscall_ipc.c (the IPC calls and their message marshalling).
 */
#ifndef KERNEL_SYSCALL_IPC_H
#define KERNEL_SYSCALL_IPC_H

#include "kernel/handle.h"

struct trap_frame;

/* The object behind handle h of the calling task, if it is of type type
 * (HANDLE_FREE: any). 0 or E_BADHANDLE. */
int syscall_lookup(long h, enum handle_type type, void **object);

long sys_send(struct trap_frame *tf);
long sys_try_send(struct trap_frame *tf);
long sys_call(struct trap_frame *tf);
long sys_recv(struct trap_frame *tf);
long sys_try_recv(struct trap_frame *tf);
long sys_reply(struct trap_frame *tf);
long sys_reply_recv(struct trap_frame *tf);

#endif
