/*
 * A fault in user mode ends only the task that faulted. The report is one
 * paragraph: which task, what happened (the decoded exception), where (its
 * pc and, for an abort, the address), and a hint when the address tells a
 * story (its stack's guard page, the kernel's half, page zero).
 */
#include "hal/fault.h"
#include "kernel/task.h"
#include "kernel/thread.h"
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
