/*
 * kernel_syscall: every system call from user mode arrives here (see
 * include/uapi/syscall.h for the numbers and registers).
 *
 * Each handler checks its arguments completely before acting: handle
 * numbers against the task's handle table, pointers through umem (never
 * dereferenced directly), sizes and flags against their limits. A bad
 * argument is an error code in x0, never a fault in the kernel.
 */
#include "hal/irq.h"
#include "hal/memory.h"
#include "hal/timer.h"
#include "hal/user.h"
#include "kernel/frame.h"
#include "kernel/ipc.h"
#include "kernel/ipc_fastpath.h"
#include "kernel/irq_user.h"
#include "kernel/notify.h"
#include "kernel/panic.h"
#include "kernel/task.h"
#include "kernel/thread.h"
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

static int lookup(long h, enum handle_type type, void **object)
{
    struct handle handle;
    int err = handle_lookup(&self_task()->handles, h, type, &handle);

    if (err == 0) {
        *object = handle.object;
    }
    return err;
}

/* ---- messages: registers and IPC buffer <-> struct ipc_msg ---- */

/* Builds the message the caller is sending: msginfo in x1, words 0-3 in
 * x2-x5, words 4 and up from its IPC buffer, and maybe a handle. */
static int msg_from_user(struct trap_frame *tf, struct ipc_msg *m)
{
    uint64_t info = arg(tf, 1);
    uint32_t length = MSGINFO_LENGTH(info);

    if (length > IPC_MAX_WORDS) {
        return E_INVAL;
    }
    m->label = MSGINFO_LABEL(info);
    m->length = length;
    m->transfer_type = HANDLE_FREE;
    m->transfer_object = NULL;
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
        int err = handle_lookup(&self_task()->handles, MSGINFO_HANDLE(info), HANDLE_FREE, &h);
        if (err < 0) {
            return err;
        }
        object_ref(h.type, h.object); /* the message holds it while in flight */
        m->transfer_type = h.type;
        m->transfer_object = h.object;
    }
    return 0;
}

/* A send failed before delivery: give back the handle reference it took. */
static void msg_abandon(struct ipc_msg *m)
{
    if (m->transfer_type != HANDLE_FREE) {
        object_unref((enum handle_type)m->transfer_type, m->transfer_object);
        m->transfer_type = HANDLE_FREE;
    }
}

/* Hands a received message to the caller: x1-x6 and its IPC buffer. A
 * handle that came with it is installed in the caller's table. */
static void msg_to_user(struct trap_frame *tf, struct ipc_msg *m)
{
    uint64_t info = MSGINFO(m->label, m->length);

    if (m->transfer_type != HANDLE_FREE) {
        int h = handle_install(&self_task()->handles, (enum handle_type)m->transfer_type,
                               m->transfer_object);
        if (h >= 0) {
            info = MSGINFO_WITH_HANDLE(m->label, m->length, h);
        } else {
            object_unref((enum handle_type)m->transfer_type, m->transfer_object);
        }
        m->transfer_type = HANDLE_FREE;
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
    int err = lookup((long)arg(tf, 0), HANDLE_ENDPOINT, (void **)&ep);

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
    } else if (kind == SEND_TRY) {
        err = ipc_try_send(ep, &m);
    } else {
        err = ipc_send(ep, &m);
    }
    if (err < 0) {
        msg_abandon(&m);
    }
    if (kind == SEND_CALL) {
        ipc_wait_end(tf, &reply, err);
    }
    return err;
}

static long sys_send(struct trap_frame *tf)
{
    return sys_send_common(tf, SEND_BLOCKING);
}

static long sys_try_send(struct trap_frame *tf)
{
    return sys_send_common(tf, SEND_TRY);
}

static long sys_call(struct trap_frame *tf)
{
    return sys_send_common(tf, SEND_CALL);
}

static long sys_recv_common(struct trap_frame *tf, int block)
{
    struct endpoint *ep = NULL;
    struct ipc_msg m;
    int err = lookup((long)arg(tf, 0), HANDLE_ENDPOINT, (void **)&ep);

    if (err < 0) {
        return err;
    }
    ipc_wait_begin(tf);
    err = block ? ipc_recv(ep, &m) : ipc_try_recv(ep, &m);
    ipc_wait_end(tf, &m, err);
    return err;
}

static long sys_recv(struct trap_frame *tf)
{
    return sys_recv_common(tf, 1);
}

static long sys_try_recv(struct trap_frame *tf)
{
    return sys_recv_common(tf, 0);
}

static long sys_reply(struct trap_frame *tf)
{
    struct ipc_msg m;
    int err = msg_from_user(tf, &m);

    if (err == 0 && (err = ipc_reply(&m)) < 0) {
        msg_abandon(&m);
    }
    return err;
}

static long sys_reply_recv(struct trap_frame *tf)
{
    struct endpoint *ep = NULL;
    struct ipc_msg m;
    int err = lookup((long)arg(tf, 0), HANDLE_ENDPOINT, (void **)&ep);

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

/* ---- the other calls ---- */

static long sys_exit(struct trap_frame *tf)
{
    task_exit_current((long)arg(tf, 0));
}

static long sys_yield(struct trap_frame *tf)
{
    (void)tf;
    thread_yield();
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
    int err = lookup((long)arg(tf, 0), HANDLE_NOTIFICATION, (void **)&n);

    return err < 0 ? err : notify_signal(n, arg(tf, 1));
}

static long sys_wait(struct trap_frame *tf)
{
    struct notification *n = NULL;
    int err = lookup((long)arg(tf, 0), HANDLE_NOTIFICATION, (void **)&n);

    return err < 0 ? err : notify_wait(n);
}

static long install_new(enum handle_type type, void *object)
{
    int h = handle_install(&self_task()->handles, type, object);

    if (h < 0) {
        object_unref(type, object);
    }
    return h;
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
    return install_new(HANDLE_TASK, child);
}

static long sys_task_wait(struct trap_frame *tf)
{
    struct task *t = NULL;
    int err = lookup((long)arg(tf, 0), HANDLE_TASK, (void **)&t);

    return err < 0 ? err : task_wait(t);
}

static long sys_map(struct trap_frame *tf)
{
    return umem_map(&self_task()->mem, arg(tf, 0), arg(tf, 1), (unsigned)arg(tf, 2), UMEM_ANON);
}

static long sys_unmap(struct trap_frame *tf)
{
    return umem_unmap(&self_task()->mem, arg(tf, 0), arg(tf, 1));
}

static long sys_debug_write(struct trap_frame *tf)
{
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
    int err = lookup((long)arg(tf, 0), HANDLE_IRQ_CONTROL, &control);

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
    if ((err = lookup((long)arg(tf, 2), HANDLE_NOTIFICATION, (void **)&n)) < 0) {
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
};

/* Called by the architecture for "svc #0" from user mode, interrupts
 * masked. Handlers run with interrupts on, like any thread. */
void kernel_syscall(struct trap_frame *tf)
{
    uint64_t number = hal_syscall_number(tf);
    long result = E_NOSYS;

    hal_irq_local_enable();
    if (number < SYSCALL_COUNT && syscall_table[number]) {
        result = syscall_table[number](tf);
    }
    hal_irq_save();
    hal_syscall_set_reg(tf, 0, (uint64_t)result);
}
