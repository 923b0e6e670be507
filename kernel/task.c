/*
 * Tasks: creating them from the boot archive, running their threads in
 * user mode, and ending them (see include/kernel/task.h).
 *
 * Life of a task:
 *   task_spawn    new address space, the ELF's segments, a stack with an
 *                 unmapped guard page below it, an IPC buffer, the handles
 *                 its parent passes, and one thread that enters user mode;
 *   ...           it runs, and enters the kernel by system calls;
 *   task_end      (exit, or killed after a fault) its threads stop, its
 *                 handles close, the endpoints it created die (waiters get
 *                 E_DEAD), its memory returns to the frame allocator, and
 *                 task_wait callers wake with its status.
 */
#include "kernel/task.h"

#include "hal/irq.h"
#include "hal/memory.h"
#include "hal/user.h"
#include "kernel/boot_archive.h"
#include "kernel/elf.h"
#include "kernel/frame.h"
#include "kernel/ipc.h"
#include "kernel/irq_user.h"
#include "kernel/notify.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "uapi/errors.h"
#include "uapi/syscall.h"

#define PAGE_SIZE            4096ULL
#define USER_THREAD_PRIORITY CONFIG_DEFAULT_PRIORITY

/*
 * Every task holds one ASID for its whole life (kernel/vspace.c frees it,
 * with a TLB invalidation, when the task ends, and hands it out again).
 * With fewer tasks than ASIDs, they can never run out; a few spare ones
 * stay for the kernel's own short-lived address spaces (the memory demo,
 * test hooks).
 */
_Static_assert(CONFIG_MAX_TASKS + 8 < MMU_ASID_COUNT, "more tasks than ASIDs");

static struct task tasks[CONFIG_MAX_TASKS];
static uint32_t next_task_id = 1;
/* The task whose address space TTBR0 holds now. */
static struct task *active_task;

struct task *task_current(void)
{
    return thread_current()->task;
}

void task_activate(struct task *t)
{
    if (t != active_task) {
        umem_activate(&t->mem);
        active_task = t;
    }
}

void task_ref(struct task *t)
{
    unsigned long flags = hal_irq_save();

    KASSERT(t->refs > 0);
    t->refs++;
    hal_irq_restore(flags);
}

void task_unref(struct task *t)
{
    unsigned long flags = hal_irq_save();

    KASSERT(t->refs > 0);
    t->refs--;
    hal_irq_restore(flags);
}

/* ---- handles: taking and dropping references by type ---- */

void object_ref(enum handle_type type, void *object)
{
    if (type == HANDLE_ENDPOINT) {
        endpoint_ref(object);
    } else if (type == HANDLE_NOTIFICATION) {
        notify_ref(object);
    } else if (type == HANDLE_TASK) {
        task_ref(object);
    }
}

void object_unref(enum handle_type type, void *object)
{
    if (type == HANDLE_ENDPOINT) {
        endpoint_unref(object);
    } else if (type == HANDLE_NOTIFICATION) {
        notify_unref(object);
    } else if (type == HANDLE_TASK) {
        task_unref(object);
    }
}

/* A queued message that carried a handle was dropped with its endpoint. */
void ipc_transfer_release(struct ipc_msg *msg)
{
    if (msg->transfer_type != HANDLE_FREE) {
        object_unref((enum handle_type)msg->transfer_type, msg->transfer_object);
        msg->transfer_type = HANDLE_FREE;
    }
}

/* ---- loading a program ---- */

static int task_load_segment(struct task *t, const uint8_t *file, const struct elf_segment *seg)
{
    uint64_t start = seg->vaddr & ~(PAGE_SIZE - 1);
    uint64_t end = (seg->vaddr + seg->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    unsigned prot = ((seg->flags & ELF_SEG_READ) ? PROT_READ : 0) |
                    ((seg->flags & ELF_SEG_WRITE) ? PROT_WRITE : 0) |
                    ((seg->flags & ELF_SEG_EXEC) ? PROT_EXEC : 0);
    int64_t err = umem_map(&t->mem, start, end - start, prot, UMEM_IMAGE);

    if (err < 0) {
        return (int)err;
    }
    /* The frames are zeroed; copy in the bytes the file provides. */
    for (uint64_t done = 0; done < seg->filesz;) {
        uint64_t va = seg->vaddr + done;
        uint64_t pa;
        uint64_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        if (chunk > seg->filesz - done) {
            chunk = seg->filesz - done;
        }
        KASSERT(umem_translate(&t->mem, va, 0, &pa) == 0);
        memcpy(hal_phys_to_virt(pa), file + seg->offset + done, chunk);
        done += chunk;
    }
    return 0;
}

/* Puts the argument string at the top of the stack; returns the initial sp. */
static uint64_t task_push_argument(struct task *t, const char *arg, size_t len)
{
    uint64_t sp = (USER_STACK_TOP - len - 1) & ~15ULL;

    umem_copy_out(&t->mem, sp, arg, len);
    umem_copy_out(&t->mem, sp + len, "", 1);
    return sp;
}

static void task_end(struct task *t, long status);

/* The first code of every user thread, still in the kernel. */
static void task_thread_start(void *arg)
{
    struct thread *self = thread_current();
    struct task *t = arg;

    hal_irq_save(); /* hal_user_enter unmasks them at the eret */
    task_activate(t);
    hal_user_set_thread_pointer(self->ipc_buffer_va);
    hal_user_enter(self->user_entry, self->user_sp, self->user_arg[0], self->user_arg[1],
                   thread_kstack_top(self));
}

/*
 * Creates a suspended user thread in t: a kernel thread with its own kernel
 * stack, and a page of the task's IPC buffer area (mapped the first time a
 * thread takes that slot, and kept for the next one). The caller starts it.
 */
static int task_thread_new(struct task *t, uint64_t entry, uint64_t sp, uint64_t arg0,
                           uint64_t arg1, struct thread **out)
{
    unsigned slot = 0;

    while (slot < TASK_MAX_THREADS && (t->ipc_slots & (1u << slot))) {
        slot++;
    }
    if (slot == TASK_MAX_THREADS) {
        return E_NOSPC;
    }
    uint64_t va = IPC_BUFFER_VA + slot * PAGE_SIZE;
    uint64_t pa;
    if (umem_translate(&t->mem, va, 1, &pa) < 0) {
        int64_t err = umem_map(&t->mem, va, PAGE_SIZE, PROT_READ | PROT_WRITE, UMEM_IPC);
        if (err < 0) {
            return (int)err;
        }
        KASSERT(umem_translate(&t->mem, va, 1, &pa) == 0);
    }
    struct thread *th =
        thread_create_suspended(t->name, USER_THREAD_PRIORITY, task_thread_start, t);
    if (!th) {
        return E_NOSPC;
    }
    t->ipc_slots |= 1u << slot;
    th->ipc_slot = slot;
    th->ipc_buffer_va = va;
    th->ipc_buffer_pa = pa;
    th->badge = t->id;
    th->task = t;
    th->user_entry = entry;
    th->user_sp = sp;
    th->user_arg[0] = arg0;
    th->user_arg[1] = arg1;
    t->threads++;
    *out = th;
    return 0;
}

long task_thread_create(uint64_t entry, uint64_t sp, uint64_t arg0, uint64_t arg1)
{
    struct task *t = task_current();
    struct thread *th;

    if (entry >= USER_SPACE_TOP || (entry & 3) || sp >= USER_SPACE_TOP || (sp & 15) || sp == 0) {
        return E_INVAL;
    }
    unsigned long flags = hal_irq_save();
    int err = task_thread_new(t, entry, sp, arg0, arg1, &th);
    hal_irq_restore(flags);
    if (err < 0) {
        return err;
    }
    uint32_t id = th->id;
    thread_start(th);
    return id;
}

void task_thread_exit_current(void)
{
    struct thread *self = thread_current();
    struct task *t = self->task;

    hal_irq_save(); /* never restored: this thread ends here */
    if (t->threads == 1) {
        task_end(t, 0);
    } else {
        t->threads--;
        t->ipc_slots &= ~(1u << self->ipc_slot); /* the page stays mapped for the next */
    }
    thread_exit();
}

static struct task *task_alloc(const char *name, size_t len)
{
    unsigned long flags = hal_irq_save();

    for (unsigned i = 0; i < CONFIG_MAX_TASKS; i++) {
        struct task *t = &tasks[i];
        if (t->refs == 0) {
            memset(t, 0, sizeof(*t));
            t->refs = 1;
            t->id = next_task_id++;
            t->state = TASK_RUNNING;
            memcpy(t->name, name, len < TASK_NAME_MAX ? len : TASK_NAME_MAX - 1);
            handle_table_init(&t->handles);
            list_init(&t->waiters);
            hal_irq_restore(flags);
            return t;
        }
    }
    hal_irq_restore(flags);
    return NULL;
}

static int task_copy_handles(struct task *t, struct task *parent, const long *handles, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        struct handle h;
        int err =
            parent ? handle_lookup(&parent->handles, handles[i], HANDLE_FREE, &h) : E_BADHANDLE;
        if (err < 0) {
            return err;
        }
        object_ref(h.type, h.object);
        handle_install_at(&t->handles, (int)i, h.type, h.object);
    }
    return 0;
}

/* Closes every handle; kills the endpoints the task created. */
static void task_close_handles(struct task *t)
{
    for (int h = 0; h < CONFIG_MAX_HANDLES; h++) {
        struct handle handle;
        if (handle_remove(&t->handles, h, &handle) == 0) {
            object_unref(handle.type, handle.object);
        }
    }
    endpoint_kill_owned_by(t);
}

/* Builds the address space: segments, stack (above an unmapped guard
 * page), and the argument string on the stack. (Each thread's IPC buffer
 * comes with the thread: task_thread_new.) */
static int task_build_memory(struct task *t, const uint8_t *file, const struct elf_image *image,
                             const char *arg, size_t arg_len)
{
    int64_t err = 0;

    for (unsigned i = 0; i < image->segment_count && err >= 0; i++) {
        err = task_load_segment(t, file, &image->segments[i]);
    }
    if (err >= 0) {
        err = umem_map(&t->mem, USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE,
                       USER_STACK_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, UMEM_STACK);
    }
    if (err < 0) {
        return (int)err;
    }
    t->entry = image->entry;
    t->initial_sp = task_push_argument(t, arg, arg_len);
    t->arg_len = arg_len;
    return 0;
}

int task_spawn(const char *command, size_t command_len, struct task *parent, const long *handles,
               size_t handle_count, struct task **out)
{
    const struct boot_archive *archive = boot_archive_kernel();
    size_t name_len = 0;
    const void *file;
    size_t file_size;
    struct elf_image image;
    const char *reason;
    int err;

    while (name_len < command_len && command[name_len] != ' ') {
        name_len++;
    }
    const char *arg = command + name_len + (name_len < command_len);
    size_t arg_len = command_len - (size_t)(arg - command);
    if (handle_count > CONFIG_MAX_HANDLES) {
        return E_INVAL;
    }
    if (!archive || boot_archive_find(archive, command, name_len, &file, &file_size) < 0) {
        return E_NOENT;
    }
    if (elf_parse(file, file_size, USER_SPACE_TOP, &image, &reason) < 0) {
        kprintf("task: %.*s is not a valid program: %s\n", (int)name_len, command, reason);
        return E_BADFMT;
    }
    struct task *t = task_alloc(command, name_len);
    if (!t) {
        return E_NOSPC;
    }
    if ((err = umem_init(&t->mem, frame_global())) < 0) {
        t->refs = 0;
        return err;
    }
    err = task_build_memory(t, file, &image, arg, arg_len);
    if (err == 0) {
        err = task_copy_handles(t, parent, handles, handle_count);
    }
    if (err == 0 && !parent) {
        /* A task the kernel starts itself (init) gets the right to bind
         * interrupts, at handle 0, to hand on to its drivers. */
        err = handle_install_at(&t->handles, 0, HANDLE_IRQ_CONTROL, irq_user_control());
        err = err < 0 ? err : 0;
    }
    struct thread *th = NULL;
    if (err == 0) {
        /* The first thread gets its argument string: x0 its address, x1 its length. */
        unsigned long flags = hal_irq_save();
        err = task_thread_new(t, t->entry, t->initial_sp, t->initial_sp, t->arg_len, &th);
        hal_irq_restore(flags);
    }
    if (err < 0) {
        task_close_handles(t);
        umem_destroy(&t->mem);
        t->refs = 0;
        return err;
    }
    t->refs++; /* one for the caller, one while the task runs */
    *out = t;
    thread_start(th);
    return 0;
}

/* ---- the end of a task ---- */

/*
 * Ends t with status: stops its other threads, closes its handles, frees
 * its memory and wakes task_wait callers. Called by the task's last running
 * thread (exit or fault), which then exits itself. Interrupts masked.
 */
static void task_end(struct task *t, long status)
{
    struct thread *self = thread_current();
    struct list_node *node;

    t->state = TASK_EXITED;
    t->exit_status = status;
    t->threads = 0;
    thread_kill_task_others(t, self);
    irq_user_release(t);
    task_close_handles(t);
    if (active_task == t) {
        umem_activate(NULL); /* TTBR0 must not point at tables we free */
        active_task = NULL;
    }
    umem_destroy(&t->mem);
    while ((node = list_pop_front(&t->waiters)) != NULL) {
        struct thread *w = LIST_ENTRY(node, struct thread, rq.link);
        w->task_status = status;
        sched_wake(w, 0);
    }
    t->refs--; /* the running task's own reference */
}

void task_exit_current(long status)
{
    struct task *t = task_current();

    KASSERT(t != NULL);
    hal_irq_save(); /* never restored: this thread ends here */
    task_end(t, status);
    thread_exit();
}

long task_wait(struct task *t)
{
    unsigned long flags = hal_irq_save();
    long status;

    if (t->state == TASK_EXITED) {
        status = t->exit_status;
    } else {
        struct thread *self = thread_current();
        list_push_back(&t->waiters, &self->rq.link);
        sched_block(THREAD_BLOCKED_JOIN);
        status = self->task_status;
    }
    hal_irq_restore(flags);
    return status;
}
