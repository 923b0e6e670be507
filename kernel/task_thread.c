/*
 * The threads of a task: each is a kernel thread with its own kernel stack
 * that spends its life at EL0, plus a page of the task's IPC buffer area
 * (see include/kernel/task.h).
 *
 * A thread holds thread slot k of its task from creation to exit, and with
 * it the IPC buffer page at IPC_BUFFER_VA + k pages. The kernel maps that
 * page when the thread is created and frees it when the thread exits; the
 * task can neither map over the area nor unmap it, so the page the kernel
 * reads and writes as the thread's IPC buffer is always the one it mapped.
 */
#include "hal/memory.h"
#include "hal/irq.h"
#include "hal/user.h"
#include "kernel/klock.h"
#include "kernel/task.h"
#include "kernel/thread.h"
#include "uapi/errors.h"
#include "uapi/syscall.h"

#define USER_THREAD_PRIORITY CONFIG_DEFAULT_PRIORITY

/* The first code of every user thread, still in the kernel. */
static void task_thread_start(void *arg)
{
    struct thread *self = thread_current();
    struct task *t = arg;

    klock_acquire(); /* hal_user_enter lets go of it at the eret */
    task_activate(t);
    hal_user_set_thread_pointer(self->ipc_buffer_va);
    hal_user_enter(self->user_entry, self->user_sp, self->user_arg[0], self->user_arg[1],
                   thread_kstack_top(self));
}

int task_thread_new(struct task *t, uint64_t entry, uint64_t sp, uint64_t arg0, uint64_t arg1,
                    struct thread **out)
{
    unsigned slot = 0;
    uint64_t pa;

    KLOCK_ASSERT_HELD();
    while (slot < TASK_MAX_THREADS && (t->thread_slots & (1u << slot))) {
        slot++;
    }
    if (slot == TASK_MAX_THREADS) {
        return E_NOSPC;
    }
    int err = umem_ipc_page_map(&t->mem, slot, &pa);
    if (err < 0) {
        return err;
    }
    struct thread *th =
        thread_create_suspended(t->name, USER_THREAD_PRIORITY, task_thread_start, t);
    if (!th) {
        umem_ipc_page_unmap(&t->mem, slot);
        return E_NOSPC;
    }
    t->thread_slots |= 1u << slot;
    th->ipc_slot = slot;
    th->user_frame = hal_user_frame(thread_kstack_top(th));
    th->ipc_buffer_va = IPC_BUFFER_VA + slot * MMU_PAGE_SIZE;
    th->ipc_buffer = hal_phys_to_virt(pa);
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

    KLOCK_ASSERT_HELD();
    if (entry >= USER_SPACE_TOP || (entry & 3) || sp >= USER_SPACE_TOP || (sp & 15) || sp == 0) {
        return E_INVAL;
    }
    int err = task_thread_new(t, entry, sp, arg0, arg1, &th);
    if (err < 0) {
        return err;
    }
    thread_start(th);
    return th->id;
}

void task_thread_exit_current(void)
{
    struct thread *self = thread_current();
    struct task *t = self->task;

    klock_acquire(); /* never released: this thread ends here */
    if (t->threads == 1) {
        task_kill(t, 0);
    } else if (t->threads > 1) {
        t->threads--;
        t->thread_slots &= ~(1u << self->ipc_slot);
        umem_ipc_page_unmap(&t->mem, self->ipc_slot);
    }
    thread_exit();
}
