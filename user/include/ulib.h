/*
 * The user-space runtime: system call stubs (see include/uapi/syscall.h
 * for the ABI), printf on top of the debug_write call, and the string
 * functions from lib/. Every program includes this one header.
 */
#ifndef USER_ULIB_H
#define USER_ULIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/printf.h"
#include "lib/string.h"
#include "uapi/errors.h"
#include "uapi/ipc.h"
#include "uapi/syscall.h"

/* What "svc #0" may change besides the registers a stub names as operands
 * (include/uapi/syscall.h): every asm statement with an svc lists these. */
#define SVC_CLOBBERS                                                                               \
    "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "cc", "memory"

/* A received message: msginfo, the four register words, the sender's badge.
 * Words 4 and up are in ipc_buffer(). */
struct umsg {
    uint64_t info;
    uint64_t w[4];
    uint64_t badge;
};

int main(const char *arg, size_t arg_len);

__attribute__((noreturn)) void sys_exit(long status);
long sys_yield(void);
long sys_sleep(uint64_t ns);
long sys_send(long handle, uint64_t info, const uint64_t w[4]);
long sys_try_send(long handle, uint64_t info, const uint64_t w[4]);
long sys_recv(long handle, struct umsg *out);
long sys_try_recv(long handle, struct umsg *out);
long sys_call(long handle, uint64_t info, const uint64_t w[4], struct umsg *reply);
long sys_reply(uint64_t info, const uint64_t w[4]);
long sys_reply_recv(long handle, uint64_t info, const uint64_t w[4], struct umsg *next);
long sys_signal(long handle, uint64_t bits);
long sys_wait(long handle);
long sys_endpoint_create(unsigned depth);
long sys_notify_create(void);
long sys_handle_close(long handle);
long sys_spawn(const char *name, const long *handles, size_t handle_count);
long sys_task_wait(long task_handle);
long sys_map(uint64_t va, size_t size, unsigned prot);
long sys_unmap(uint64_t va, size_t size);
long sys_debug_write(const char *buf, size_t len);
long sys_task_info(struct task_info *info);
long sys_irq_bind(long irq_control, uint32_t irq, long notification, unsigned bit);
long sys_irq_ack(long irq_control, uint32_t irq);
long sys_irq_trigger(long irq_control, uint32_t irq);
long sys_task_kill(long task_handle);
long sys_kernel_counts(struct kernel_counts *counts);
long sys_failpoint(uint64_t nth);
/* task_handle: a handle of a task, or TASK_SELF; endpoint: FAULT_HANDLER_NONE for none. */
long sys_fault_handler(uint64_t task_handle, uint64_t endpoint);
long sys_task_map(uint64_t task_handle, uint64_t va, size_t size, unsigned prot);

/* Compares two snapshots of the kernel's objects (all but the syscall and
 * failure counts); prints "    # where: field a -> b" for each difference
 * (unless where is NULL) and returns how many there were. */
int kernel_counts_differ(const struct kernel_counts *a, const struct kernel_counts *b,
                         const char *where);

/* Any system call, for tests that want to pass bad arguments on purpose. */
long syscall6(long number, long a0, long a1, long a2, long a3, long a4, long a5);

/* The calling thread's IPC buffer (words 4 and up of long messages): the
 * kernel keeps its address in TPIDRRO_EL0 for each thread. */
static inline uint64_t *ipc_buffer(void)
{
    uint64_t va;
    __asm__ volatile("mrs %0, tpidrro_el0" : "=r"(va));
    return (uint64_t *)va;
}

/* Starts fn(arg) in a new thread of this task, on the stack [stack, stack +
 * size). Returns the thread's id or an error; the thread ends when fn returns. */
long thread_create(void (*fn)(void *), void *arg, void *stack, size_t size);
/* Ends the calling thread (the task ends with its last thread). */
__attribute__((noreturn)) void sys_thread_exit(void);

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "name: message" and exits with status 1 when cond is false. */
#define UASSERT(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("assertion failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);                   \
            sys_exit(1);                                                                           \
        }                                                                                          \
    } while (0)

#endif
