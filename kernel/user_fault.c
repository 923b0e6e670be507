/*
 * A fault in user mode ends only the task that faulted. The report is one
 * paragraph: which task, what happened (the decoded exception), where (its
 * pc and, for an abort, the address), and a hint when the address tells a
 * story (its stack's guard page, the kernel's half, page zero).
 *
 * Unless the task has a fault handler (SYS_FAULT_HANDLER, the protocol in
 * include/uapi/syscall.h): then the faulting thread calls the handler's
 * endpoint, the kernel writing the message for it, and the reply decides.
 * The thread waits like a kernel thread, in kernel_user_fault with its
 * message and the reply on its kernel stack, not parked: every register
 * it had stays in its trap frame, to go back to untouched.
 */
#include "hal/fault.h"
#include "hal/user.h"
#include "kernel/ipc.h"
#include "kernel/klock.h"
#include "kernel/task.h"
#include "kernel/thread.h"
#include "kernel/trace.h"
#include "lib/printf.h"
#include "uapi/errors.h"
#include "uapi/syscall.h"

#define PAGE_SIZE       4096ULL
#define STACK_GUARD_TOP (USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE)

static const char *user_fault_hint(const struct fault_info *fi)
{
    if (!fi->address_valid) {
        return "";
    }
    if (fi->address < STACK_GUARD_TOP && fi->address >= STACK_GUARD_TOP - PAGE_SIZE) {
        return " (user stack overflow: the guard page below the stack)";
    }
    if (fi->address >= USER_SPACE_TOP) {
        return " (an address in the kernel's half: user mode may not touch it)";
    }
    if (fi->address < PAGE_SIZE) {
        return " (a null pointer)";
    }
    return "";
}

void user_fault_kill(const struct fault_info *fi)
{
    struct task *t = task_current();

    kprintf("task %u (%s) killed: %s", t->id, t->name, fi->class_name);
    if (fi->detail[0]) {
        kprintf(": %s", fi->detail);
    }
    kprintf(", at pc 0x%llx", (unsigned long long)fi->pc);
    if (fi->address_valid) {
        kprintf(", address 0x%llx%s", (unsigned long long)fi->address, user_fault_hint(fi));
    }
    kprintf(". Its memory and handles are released; waiters get E_DEAD.\n");
    task_exit_current(E_DEAD);
}

/* Calls t's fault handler about uf. True if it answers FAULT_RESUME (the pc
 * to resume at, if it names one, is then in tf). */
static bool user_fault_ask_handler(struct trap_frame *tf, const struct user_fault *uf)
{
    struct thread *self = thread_current();
    struct ipc_msg msg; /* only what a 4-word message uses: no 64-word memset */
    struct ipc_msg reply;

    msg.label = FAULT_MSG_LABEL;
    msg.length = 4;
    msg.badge = 0;
    msg.words[0] = uf->kind;
    msg.words[1] = uf->address;
    msg.words[2] = uf->pc;
    msg.words[3] = uf->syndrome;
    msg.transfer.state = IPC_TRANSFER_NONE;
    /* A wake-up writes its result into a user thread's x0 (it expects it
     * parked in a system call); this thread's x0 is its own, kept here. */
    uint64_t x0 = hal_syscall_reg(tf, 0);

    int err = ipc_call(self->task->fault_ep, &msg, &reply);
    hal_syscall_set_reg(tf, 0, x0);
    self->recv_buf = NULL; /* it takes its messages in registers again */
    self->send_msg = NULL;
    if (err < 0 || reply.label != FAULT_RESUME) {
        return false;
    }
    if (reply.length >= 1) {
        hal_user_set_pc(tf, reply.words[0]);
    }
    return true;
}

void kernel_user_fault(struct trap_frame *tf, const struct user_fault *uf)
{
    struct fault_info fi;

    KLOCK_ASSERT_HELD();
    trace_user_fault(uf->kind, uf->address);
    if (task_current()->fault_ep && user_fault_ask_handler(tf, uf)) {
        return;
    }
    hal_fault_decode_user(tf, &fi);
    user_fault_kill(&fi);
}
