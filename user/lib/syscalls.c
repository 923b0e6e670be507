/*
 * System call stubs: load the number into x8 and the arguments into x0-x5,
 * "svc #0", and read the result from x0 (and a message from x1-x6). The
 * call may change x1-x18 (include/uapi/syscall.h), so each asm statement
 * says so.
 */
#include "ulib.h"

long syscall6(long number, long a0, long a1, long a2, long a3, long a4, long a5)
{
    register long x8 __asm__("x8") = number;
    register long x0 __asm__("x0") = a0;
    register long x1 __asm__("x1") = a1;
    register long x2 __asm__("x2") = a2;
    register long x3 __asm__("x3") = a3;
    register long x4 __asm__("x4") = a4;
    register long x5 __asm__("x5") = a5;

    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x8)
                     :
                     : "x6", "x7", SVC_CLOBBERS);
    return x0;
}

/* The IPC calls: send x0-x5, and take a message back in x1-x6. */
static long syscall_ipc(long number, long handle, uint64_t info, const uint64_t w[4],
                        struct umsg *out)
{
    static const uint64_t zero[4];
    register long x8 __asm__("x8") = number;
    register long x0 __asm__("x0") = handle;
    register uint64_t x1 __asm__("x1") = info;
    if (!w) {
        w = zero;
    }
    register uint64_t x2 __asm__("x2") = w[0];
    register uint64_t x3 __asm__("x3") = w[1];
    register uint64_t x4 __asm__("x4") = w[2];
    register uint64_t x5 __asm__("x5") = w[3];
    register uint64_t x6 __asm__("x6") = 0;

    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
                       "+r"(x8)
                     :
                     : "x7", SVC_CLOBBERS);
    if (out) {
        out->info = x1;
        out->w[0] = x2;
        out->w[1] = x3;
        out->w[2] = x4;
        out->w[3] = x5;
        out->badge = x6;
    }
    return x0;
}

void sys_exit(long status)
{
    for (;;) {
        syscall6(SYS_EXIT, status, 0, 0, 0, 0, 0);
    }
}

long sys_yield(void)
{
    return syscall6(SYS_YIELD, 0, 0, 0, 0, 0, 0);
}

long sys_sleep(uint64_t ns)
{
    return syscall6(SYS_SLEEP, (long)ns, 0, 0, 0, 0, 0);
}

long sys_send(long handle, uint64_t info, const uint64_t w[4])
{
    return syscall_ipc(SYS_SEND, handle, info, w, NULL);
}

long sys_try_send(long handle, uint64_t info, const uint64_t w[4])
{
    return syscall_ipc(SYS_TRY_SEND, handle, info, w, NULL);
}

long sys_recv(long handle, struct umsg *out)
{
    return syscall_ipc(SYS_RECV, handle, 0, NULL, out);
}

long sys_try_recv(long handle, struct umsg *out)
{
    return syscall_ipc(SYS_TRY_RECV, handle, 0, NULL, out);
}

long sys_call(long handle, uint64_t info, const uint64_t w[4], struct umsg *reply)
{
    return syscall_ipc(SYS_CALL, handle, info, w, reply);
}

long sys_reply(uint64_t info, const uint64_t w[4])
{
    return syscall_ipc(SYS_REPLY, 0, info, w, NULL);
}

long sys_reply_recv(long handle, uint64_t info, const uint64_t w[4], struct umsg *next)
{
    return syscall_ipc(SYS_REPLY_RECV, handle, info, w, next);
}

long sys_signal(long handle, uint64_t bits)
{
    return syscall6(SYS_SIGNAL, handle, (long)bits, 0, 0, 0, 0);
}

long sys_wait(long handle)
{
    return syscall6(SYS_WAIT, handle, 0, 0, 0, 0, 0);
}

long sys_endpoint_create(unsigned depth)
{
    return syscall6(SYS_ENDPOINT_CREATE, depth, 0, 0, 0, 0, 0);
}

long sys_notify_create(void)
{
    return syscall6(SYS_NOTIFY_CREATE, 0, 0, 0, 0, 0, 0);
}

long sys_handle_close(long handle)
{
    return syscall6(SYS_HANDLE_CLOSE, handle, 0, 0, 0, 0, 0);
}

long sys_spawn(const char *name, const long *handles, size_t handle_count)
{
    return syscall6(SYS_SPAWN, (long)name, (long)handles, (long)handle_count, 0, 0, 0);
}

long sys_task_wait(long task_handle)
{
    return syscall6(SYS_TASK_WAIT, task_handle, 0, 0, 0, 0, 0);
}

long sys_map(uint64_t va, size_t size, unsigned prot)
{
    return syscall6(SYS_MAP, (long)va, (long)size, prot, 0, 0, 0);
}

long sys_unmap(uint64_t va, size_t size)
{
    return syscall6(SYS_UNMAP, (long)va, (long)size, 0, 0, 0, 0);
}

long sys_debug_write(const char *buf, size_t len)
{
    return syscall6(SYS_DEBUG_WRITE, (long)buf, (long)len, 0, 0, 0, 0);
}

long sys_task_info(struct task_info *info)
{
    return syscall6(SYS_TASK_INFO, (long)info, 0, 0, 0, 0, 0);
}

/* A new thread starts here (x0 = fn, x1 = arg) and ends when fn returns. */
static void thread_trampoline(void (*fn)(void *), void *arg)
{
    fn(arg);
    sys_thread_exit();
}

long thread_create(void (*fn)(void *), void *arg, void *stack, size_t size)
{
    uint64_t top = ((uint64_t)(uintptr_t)stack + size) & ~15ULL;

    return syscall6(SYS_THREAD_CREATE, (long)(uintptr_t)thread_trampoline, (long)top,
                    (long)(uintptr_t)fn, (long)(uintptr_t)arg, 0, 0);
}

void sys_thread_exit(void)
{
    for (;;) {
        syscall6(SYS_THREAD_EXIT, 0, 0, 0, 0, 0, 0);
    }
}

long sys_irq_bind(long irq_control, uint32_t irq, long notification, unsigned bit)
{
    return syscall6(SYS_IRQ_BIND, irq_control, irq, notification, bit, 0, 0);
}

long sys_irq_ack(long irq_control, uint32_t irq)
{
    return syscall6(SYS_IRQ_ACK, irq_control, irq, 0, 0, 0, 0);
}

long sys_irq_trigger(long irq_control, uint32_t irq)
{
    return syscall6(SYS_IRQ_TRIGGER, irq_control, irq, 0, 0, 0, 0);
}

long sys_task_kill(long task_handle)
{
    return syscall6(SYS_TASK_KILL, task_handle, 0, 0, 0, 0, 0);
}

long sys_kernel_counts(struct kernel_counts *counts)
{
    return syscall6(SYS_KERNEL_COUNTS, (long)counts, 0, 0, 0, 0, 0);
}

long sys_fault_handler(uint64_t task_handle, uint64_t endpoint)
{
    return syscall6(SYS_FAULT_HANDLER, (long)task_handle, (long)endpoint, 0, 0, 0, 0);
}

long sys_task_map(uint64_t task_handle, uint64_t va, size_t size, unsigned prot)
{
    return syscall6(SYS_TASK_MAP, (long)task_handle, (long)va, (long)size, prot, 0, 0);
}

long sys_failpoint(uint64_t nth)
{
    return syscall6(SYS_FAILPOINT, (long)nth, 0, 0, 0, 0, 0);
}
