/*
 * kernel_syscall: every system call from user mode arrives here (see
 * include/uapi/syscall.h for the numbers and registers).
 *
 * Each handler checks its arguments completely before acting: handle
 * numbers against the task's handle table, pointers through umem (never
 * dereferenced directly), sizes and flags against their limits. A bad
 * argument is an error code in x0, never a fault in the kernel.
 *
 * The IPC calls and their message marshalling are in kernel/syscall_ipc.c.
 */
#include "hal/user.h"
#include "kernel/accounting.h"
#include "kernel/failpoint.h"
#include "kernel/frame.h"
#include "kernel/ipc.h"
#include "kernel/irq_user.h"
#include "kernel/klock.h"
#include "kernel/notify.h"
#include "kernel/panic.h"
#include "kernel/syscall_ipc.h"
#include "kernel/task.h"
#include "kernel/test_hooks.h"
#include "kernel/thread.h"
#include "kernel/trace.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "uapi/errors.h"
#include "uapi/syscall.h"

#define DEBUG_WRITE_MAX   4096
#define SPAWN_COMMAND_MAX 64

typedef long (*syscall_fn)(struct trap_frame *tf);

static uint64_t arg(struct trap_frame *tf, unsigned n)
{
    return hal_syscall_reg(tf, n);
}

static struct task *self_task(void)
{
    return task_current();
}

/* ---- the calls (the IPC ones are in kernel/syscall_ipc.c) ---- */

static long sys_exit(struct trap_frame *tf)
{
    task_exit_current((long)arg(tf, 0));
}

static long sys_yield(struct trap_frame *tf)
{
    (void)tf;
    sched_yield_parked(); /* returns only if nothing else was ready */
    return 0;
}

static long sys_sleep(struct trap_frame *tf)
{
    thread_sleep(arg(tf, 0));
    return 0;
}

static long sys_signal(struct trap_frame *tf)
{
    struct notification *n = NULL;
    int err = syscall_lookup((long)arg(tf, 0), HANDLE_NOTIFICATION, (void **)&n);

    if (err < 0) {
        return err;
    }
    notify_signal_locked(n, arg(tf, 1));
    return 0;
}

static long sys_wait(struct trap_frame *tf)
{
    struct notification *n = NULL;
    int err = syscall_lookup((long)arg(tf, 0), HANDLE_NOTIFICATION, (void **)&n);

    return err < 0 ? err : notify_wait_locked(n);
}

static long install_new(enum handle_type type, void *object)
{
    return handle_install_new(&self_task()->handles, type, object);
}

static long sys_endpoint_create(struct trap_frame *tf)
{
    struct endpoint *ep = NULL;
    uint64_t depth = arg(tf, 0);

    if (depth > CONFIG_MAX_ENDPOINT_DEPTH) {
        return E_INVAL;
    }
    int err = endpoint_create((unsigned)depth, &ep);
    if (err < 0) {
        return err;
    }
    ep->owner = self_task();
    return install_new(HANDLE_ENDPOINT, ep);
}

static long sys_notify_create(struct trap_frame *tf)
{
    struct notification *n = NULL;
    int err = notify_create(&n);

    (void)tf;
    return err < 0 ? err : install_new(HANDLE_NOTIFICATION, n);
}

static long sys_handle_close(struct trap_frame *tf)
{
    struct handle h;
    int err = handle_remove(&self_task()->handles, (long)arg(tf, 0), &h);

    if (err == 0) {
        object_unref(h.type, h.object);
    }
    return err;
}

static long sys_spawn(struct trap_frame *tf)
{
    struct task *self = self_task();
    char command[SPAWN_COMMAND_MAX];
    long handles[CONFIG_MAX_HANDLES];
    uint64_t count = arg(tf, 2);
    struct task *child;

    int64_t len = umem_copy_string_in(&self->mem, command, arg(tf, 0), sizeof(command));
    if (len < 0) {
        return len;
    }
    if (count > CONFIG_MAX_HANDLES) {
        return E_INVAL;
    }
    int err = umem_copy_in(&self->mem, handles, arg(tf, 1), count * sizeof(long));
    if (err < 0) {
        return err;
    }
    if ((err = task_spawn(command, (size_t)len, self, handles, count, &child)) < 0) {
        return err;
    }
    /* The handle first: if there is no room for it, the child never ran. */
    int h = handle_install(&self->handles, HANDLE_TASK, child);
    if (h < 0) {
        task_kill(child, E_DEAD);
        task_unref(child);
        return h;
    }
    task_start(child);
    return h;
}

static long sys_task_wait(struct trap_frame *tf)
{
    struct task *t = NULL;
    int err = syscall_lookup((long)arg(tf, 0), HANDLE_TASK, (void **)&t);

    return err < 0 ? err : task_wait(t);
}

static long sys_task_kill(struct trap_frame *tf)
{
    struct task *t = NULL;
    int err = syscall_lookup((long)arg(tf, 0), HANDLE_TASK, (void **)&t);

    if (err < 0) {
        return err;
    }
    task_kill(t, E_DEAD);
    if (t == self_task()) {
        thread_exit(); /* the caller was one of its threads */
    }
    return 0;
}

/* SYS_MAP into the caller's own memory, its arguments from x[first] on. */
static long sys_map_args(struct trap_frame *tf, unsigned first)
{
    return umem_map_own(&self_task()->mem, arg(tf, first), arg(tf, first + 1),
                        (unsigned)arg(tf, first + 2));
}

static long sys_map(struct trap_frame *tf)
{
    return sys_map_args(tf, 0);
}

/* The task a handle names, or the caller's for TASK_SELF; a live one, or
 * E_DEAD. */
static long task_of_handle(uint64_t h, struct task **out)
{
    if (h == TASK_SELF) {
        *out = self_task();
        return 0;
    }
    int err = syscall_lookup((long)h, HANDLE_TASK, (void **)out);
    if (err < 0) {
        return err;
    }
    return (*out)->state == TASK_DYING || (*out)->state == TASK_EXITED ? E_DEAD : 0;
}

static long sys_task_map(struct trap_frame *tf)
{
    struct task *t;
    long err = task_of_handle(arg(tf, 0), &t);

    if (err < 0) {
        return err;
    }
    if (t == self_task()) {
        return sys_map_args(tf, 1);
    }
    return umem_map_for_another(&t->mem, arg(tf, 1), arg(tf, 2), (unsigned)arg(tf, 3));
}

static long sys_fault_handler(struct trap_frame *tf)
{
    struct task *t;
    struct endpoint *ep = NULL;
    long err = task_of_handle(arg(tf, 0), &t);

    if (err < 0) {
        return err;
    }
    if (arg(tf, 1) != FAULT_HANDLER_NONE &&
        (err = syscall_lookup((long)arg(tf, 1), HANDLE_ENDPOINT, (void **)&ep)) < 0) {
        return err;
    }
    task_set_fault_handler(t, ep);
    return 0;
}

static long sys_unmap(struct trap_frame *tf)
{
    return umem_unmap(&self_task()->mem, arg(tf, 0), arg(tf, 1));
}

static long sys_debug_write(struct trap_frame *tf)
{
    if (test_hook_syscall_panic) {
        panic("test hook: crash=syscall, inside a system call");
    }
    char buffer[256];
    uint64_t va = arg(tf, 0);
    uint64_t len = arg(tf, 1);

    if (len > DEBUG_WRITE_MAX) {
        return E_INVAL;
    }
    /* Check the whole range first: nothing is printed from a bad buffer. */
    for (uint64_t done = 0; done < len; done += sizeof(buffer)) {
        uint64_t chunk = len - done < sizeof(buffer) ? len - done : sizeof(buffer);
        int err = umem_copy_in(&self_task()->mem, buffer, va + done, chunk);
        if (err < 0) {
            return err;
        }
    }
    for (uint64_t done = 0; done < len; done += sizeof(buffer)) {
        uint64_t chunk = len - done < sizeof(buffer) ? len - done : sizeof(buffer);
        umem_copy_in(&self_task()->mem, buffer, va + done, chunk);
        kprintf("%.*s", (int)chunk, buffer);
    }
    return (long)len;
}

static long sys_kernel_counts(struct trap_frame *tf)
{
    struct kernel_counts counts;

    accounting_read(&counts);
    return umem_copy_out(&self_task()->mem, arg(tf, 0), &counts, sizeof(counts));
}

static long sys_failpoint(struct trap_frame *tf)
{
    if (!failpoint_user_allowed()) {
        return E_PERM;
    }
    return (long)failpoint_arm(arg(tf, 0));
}

static long sys_task_info(struct trap_frame *tf)
{
    struct task *self = self_task();
    struct task_info info;
    struct frame_allocator *fa = frame_global();

    memset(&info, 0, sizeof(info));
    info.task_id = self->id;
    info.exception_level = 0;
    info.asid = umem_asid(&self->mem);
    info.page_table_root = umem_root(&self->mem);
    info.free_frames = fa ? frame_free_count(fa) : 0;
    info.thread_count = thread_count();
    info.preemptions = thread_current()->preemptions;
    memcpy(info.name, self->name, sizeof(info.name));
    return umem_copy_out(&self->mem, arg(tf, 0), &info, sizeof(info));
}

static long sys_thread_create(struct trap_frame *tf)
{
    return task_thread_create(arg(tf, 0), arg(tf, 1), arg(tf, 2), arg(tf, 3));
}

static long sys_thread_exit(struct trap_frame *tf)
{
    (void)tf;
    task_thread_exit_current();
}

/* The interrupt calls need the interrupt-control capability in x0. */
static long sys_irq_common(struct trap_frame *tf, int op)
{
    void *control;
    int err = syscall_lookup((long)arg(tf, 0), HANDLE_IRQ_CONTROL, &control);

    if (err < 0) {
        return err;
    }
    uint64_t irq = arg(tf, 1);
    if (irq > UINT32_MAX) {
        return E_INVAL;
    }
    if (op == SYS_IRQ_ACK) {
        return irq_user_ack(self_task(), (uint32_t)irq);
    }
    if (op == SYS_IRQ_TRIGGER) {
        return irq_user_trigger(self_task(), (uint32_t)irq);
    }
    struct notification *n = NULL;
    if ((err = syscall_lookup((long)arg(tf, 2), HANDLE_NOTIFICATION, (void **)&n)) < 0) {
        return err;
    }
    return irq_user_bind(self_task(), (uint32_t)irq, n,
                         arg(tf, 3) > 62 ? 63 : (unsigned)arg(tf, 3));
}

static long sys_irq_bind(struct trap_frame *tf)
{
    return sys_irq_common(tf, SYS_IRQ_BIND);
}

static long sys_irq_ack(struct trap_frame *tf)
{
    return sys_irq_common(tf, SYS_IRQ_ACK);
}

static long sys_irq_trigger(struct trap_frame *tf)
{
    return sys_irq_common(tf, SYS_IRQ_TRIGGER);
}

static const syscall_fn syscall_table[SYSCALL_COUNT] = {
    [SYS_EXIT] = sys_exit,
    [SYS_YIELD] = sys_yield,
    [SYS_SLEEP] = sys_sleep,
    [SYS_SEND] = sys_send,
    [SYS_RECV] = sys_recv,
    [SYS_CALL] = sys_call,
    [SYS_REPLY] = sys_reply,
    [SYS_REPLY_RECV] = sys_reply_recv,
    [SYS_TRY_SEND] = sys_try_send,
    [SYS_TRY_RECV] = sys_try_recv,
    [SYS_SIGNAL] = sys_signal,
    [SYS_WAIT] = sys_wait,
    [SYS_ENDPOINT_CREATE] = sys_endpoint_create,
    [SYS_NOTIFY_CREATE] = sys_notify_create,
    [SYS_HANDLE_CLOSE] = sys_handle_close,
    [SYS_SPAWN] = sys_spawn,
    [SYS_TASK_WAIT] = sys_task_wait,
    [SYS_MAP] = sys_map,
    [SYS_UNMAP] = sys_unmap,
    [SYS_DEBUG_WRITE] = sys_debug_write,
    [SYS_TASK_INFO] = sys_task_info,
    [SYS_THREAD_CREATE] = sys_thread_create,
    [SYS_THREAD_EXIT] = sys_thread_exit,
    [SYS_IRQ_BIND] = sys_irq_bind,
    [SYS_IRQ_ACK] = sys_irq_ack,
    [SYS_IRQ_TRIGGER] = sys_irq_trigger,
    [SYS_TASK_KILL] = sys_task_kill,
    [SYS_KERNEL_COUNTS] = sys_kernel_counts,
    [SYS_FAILPOINT] = sys_failpoint,
    [SYS_FAULT_HANDLER] = sys_fault_handler,
    [SYS_TASK_MAP] = sys_task_map,
};

/*
 * Called by the architecture for "svc #0" from user mode, with interrupts
 * masked: the kernel lock is held (include/kernel/klock.h), and stays held
 * to the end. A handler runs as one atomic step, except where it blocks or
 * reaches a preemption point. The architecture stores the result in x0,
 * then makes the preemption point (include/hal/user.h). A handler that parks the thread
 * (include/hal/user.h) does not come back here at all: its waker writes
 * the result. (call, reply_recv and yield have tried their fast paths
 * before they get here: include/hal/user.h.)
 */
long kernel_syscall(struct trap_frame *tf, uint64_t number)
{
    accounting_count_syscall();
    trace_syscall_enter(number);
    if (number >= SYSCALL_COUNT || !syscall_table[number]) {
        trace_syscall_exit(number, E_NOSYS);
        return E_NOSYS;
    }
    long result = syscall_table[number](tf); /* a call that parks never comes back here */
    trace_syscall_exit(number, result);
    return result;
}
