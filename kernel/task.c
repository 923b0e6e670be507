/*
 * Tasks: creating them from the boot archive, ending them, and reaping
 * what they leave (see include/kernel/task.h).
 *
 * Life of a task:
 *   task_spawn    (NEW) a new address space, the ELF's segments, a stack
 *                 with an unmapped guard page below it, the handles its
 *                 parent passes, and one thread, not started yet;
 *   task_start    (RUNNING) its first thread enters user mode;
 *   ...           it runs, and enters the kernel by system calls;
 *   task_kill     (DYING) on exit, a fault, a kill, or a failed spawn: its
 *                 threads stop, its handles close, the endpoints it created
 *                 die (waiters get E_DEAD), its interrupts are unbound. All
 *                 at once, under the kernel lock: nothing can see it half
 *                 killed;
 *   the reaper    (EXITED) a kernel thread frees its memory page by page,
 *                 with preemption points, then wakes task_wait callers.
 *
 * Dying in two steps keeps each of them safe. The first is short and
 * atomic, so whoever kills the task (a thread of it, another task, a
 * failing spawn) never leaves it half done. The second is long but belongs
 * to a thread that nobody kills, so a kill can never stop it half way.
 */
#include "kernel/task.h"

#include "hal/memory.h"
#include "kernel/boot_archive.h"
#include "kernel/elf.h"
#include "kernel/failpoint.h"
#include "kernel/frame.h"
#include "kernel/ipc.h"
#include "kernel/irq_user.h"
#include "kernel/klock.h"
#include "kernel/thread.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "uapi/errors.h"
#include "uapi/syscall.h"

#define PAGE_SIZE       4096ULL
/* The reaper outranks every other thread: a dead task's memory is back
 * before anyone else runs, and its preemption points only let interrupts in. */
#define REAPER_PRIORITY (CONFIG_PRIORITIES - 1)

static struct task tasks[CONFIG_MAX_TASKS];
static uint32_t next_task_id = 1;
/* The task whose address space TTBR0 holds now. */
struct task *task_active; /* whose address space TTBR0 holds */

void task_activate_new_asid(void)
{
    KLOCK_ASSERT_HELD();
    vspace_activate_slow(&task_active->mem.vs);
}
/* Tasks killed and not yet reaped, oldest first, and the thread that reaps them. */
static struct list_node reap_queue = LIST_INIT(reap_queue);
static struct thread *reaper;
static bool reaper_waiting;

void task_ref(struct task *t)
{
    KLOCK_ASSERT_HELD();
    KASSERT(t->refs > 0);
    t->refs++;
}

void task_unref(struct task *t)
{
    KLOCK_ASSERT_HELD();
    KASSERT(t->refs > 0);
    t->refs--;
    /* The reference a task holds until it is reaped is always the last. */
    KASSERT(t->refs > 0 || t->state == TASK_EXITED);
}

unsigned task_count(void)
{
    unsigned n = 0;

    KLOCK_ASSERT_HELD();
    for (unsigned i = 0; i < CONFIG_MAX_TASKS; i++) {
        n += tasks[i].refs > 0;
    }
    return n;
}

void task_count_held(unsigned *handles, unsigned *regions)
{
    KLOCK_ASSERT_HELD();
    *handles = 0;
    *regions = 0;
    for (unsigned i = 0; i < CONFIG_MAX_TASKS; i++) {
        const struct task *t = &tasks[i];
        if (t->refs > 0 && t->state != TASK_EXITED) {
            *handles += handle_count(&t->handles);
            *regions += umem_region_count(&t->mem);
        }
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

static struct task *task_alloc(const char *name, size_t len)
{
    if (failpoint_hit(FAILPOINT_TASK)) {
        return NULL;
    }
    for (unsigned i = 0; i < CONFIG_MAX_TASKS; i++) {
        struct task *t = &tasks[i];
        if (t->refs == 0) {
            memset(t, 0, sizeof(*t));
            t->refs = 1; /* held until the reaper is done with it */
            t->id = next_task_id++;
            t->state = TASK_NEW;
            memcpy(t->name, name, len < TASK_NAME_MAX ? len : TASK_NAME_MAX - 1);
            handle_table_init(&t->handles);
            list_init(&t->waiters);
            list_init(&t->reap_link);
            return t;
        }
    }
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
        if ((err = handle_install_at(&t->handles, (int)i, h.type, h.object)) < 0) {
            object_unref(h.type, h.object);
            return err;
        }
    }
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

    KLOCK_ASSERT_HELD();
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
        t->refs = 0; /* nothing else was taken yet */
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
    if (err == 0) {
        /* The first thread gets its argument string: x0 its address, x1 its length. */
        err = task_thread_new(t, t->entry, t->initial_sp, t->initial_sp, t->arg_len,
                              &t->first_thread);
    }
    if (err < 0) {
        task_kill(t, err); /* the reaper gives back whatever was taken */
        return err;
    }
    t->refs++; /* the caller's */
    *out = t;
    return 0;
}

void task_start(struct task *t)
{
    KLOCK_ASSERT_HELD();
    KASSERT(t->state == TASK_NEW);
    t->state = TASK_RUNNING;
    thread_start(t->first_thread);
}

int task_run_program(const char *command, struct task **out)
{
    unsigned long flags = klock_acquire();
    int err = task_spawn(command, strlen(command), NULL, NULL, 0, out);

    if (err == 0) {
        task_start(*out);
    }
    sched_preempt_point();
    klock_release(flags);
    return err;
}

void task_set_fault_handler(struct task *t, struct endpoint *ep)
{
    struct endpoint *old = t->fault_ep;

    KLOCK_ASSERT_HELD();
    if (ep) {
        endpoint_ref(ep);
    }
    t->fault_ep = ep;
    if (old) {
        endpoint_unref(old);
    }
}

/* ---- the end of a task ---- */

void task_kill(struct task *t, long status)
{
    KLOCK_ASSERT_HELD();
    if (t->state == TASK_DYING || t->state == TASK_EXITED) {
        return; /* already on its way */
    }
    t->state = TASK_DYING;
    t->exit_status = status;
    thread_kill_task_others(t, thread_current());
    t->threads = 0; /* a caller of its own now finishes with thread_exit */
    irq_user_release(t);
    task_set_fault_handler(t, NULL);
    handle_close_all(&t->handles);
    endpoint_kill_owned_by(t);
    list_push_back(&reap_queue, &t->reap_link);
    if (reaper_waiting) {
        reaper_waiting = false;
        sched_wake(reaper, 0);
    }
}

/* The second half of a task's end: its memory, then the news. */
static void task_reap(struct task *t)
{
    struct list_node *node;

    if (task_active == t) {
        umem_activate(NULL); /* TTBR0 must not point at tables we free */
        task_active = NULL;
    }
    umem_destroy(&t->mem); /* with preemption points */
    t->state = TASK_EXITED;
    while ((node = list_pop_front(&t->waiters)) != NULL) {
        struct thread *w = LIST_ENTRY(node, struct thread, rq.link);
        w->task_status = t->exit_status;
        sched_wake(w, 0);
    }
    task_unref(t); /* the reference it held while unreaped */
}

static void reaper_main(void *arg)
{
    (void)arg;
    klock_acquire(); /* held for good: blocking and preemption points let others run */
    for (;;) {
        struct list_node *node = list_pop_front(&reap_queue);
        if (node) {
            task_reap(LIST_ENTRY(node, struct task, reap_link));
        } else {
            reaper_waiting = true;
            sched_block(THREAD_BLOCKED_JOIN);
        }
    }
}

void task_init(void)
{
    reaper = thread_create("reaper", REAPER_PRIORITY, reaper_main, NULL);
    KASSERT(reaper != NULL);
}

void task_exit_current(long status)
{
    struct task *t = task_current();

    KASSERT(t != NULL);
    klock_acquire(); /* never released: this thread ends here */
    task_kill(t, status);
    thread_exit();
}

long task_wait(struct task *t)
{
    unsigned long flags = klock_acquire();
    long status;

    if (t == task_current()) {
        status = E_INVAL; /* it would wait for itself for ever */
    } else if (t->state == TASK_EXITED) {
        status = t->exit_status;
    } else {
        struct thread *self = thread_current();
        list_push_back(&t->waiters, &self->rq.link);
        sched_block(THREAD_BLOCKED_JOIN);
        status = self->task_status;
    }
    klock_release(flags);
    return status;
}
