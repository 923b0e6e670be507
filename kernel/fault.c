/*
 * kernel_fault: the core's answer to an exception the architecture could
 * not handle. A fault in user mode kills that task (kernel/user_fault.c);
 * one in the kernel is a kernel bug, so the answer is a report a learner
 * can read, then power off with a failure status.
 */
#include "hal/fault.h"
#include "hal/power.h"
#include "kernel/kstack.h"
#include "kernel/ksyms.h"
#include "lib/printf.h"

/*
 * A fault in the guard of a guard-paged kernel stack is an overflow: say so
 * in the headline, and whose stack it was. Returns whether it was one.
 */
static bool fault_report_stack_overflow(const struct fault_info *fi)
{
    unsigned slot;

    if (!fi->address_valid || !kstack_find_guard(fi->address, &slot)) {
        return false;
    }
    const char *owner = kstack_owner(slot);
    uint64_t base = kstack_slot_base(slot);
    kprintf("\n*** KERNEL EXCEPTION: kernel stack overflow ***\n");
    kprintf("  stack:   kstack slot %u (%s), 0x%016llx-0x%016llx, ran into its guard below\n", slot,
            owner ? owner : "free", (unsigned long long)base,
            (unsigned long long)(base + KSTACK_SIZE));
    kprintf("  class:   %s\n", fi->class_name);
    return true;
}

void kernel_fault(const struct fault_info *fi)
{
    char where[96];

    if (fi->from_user) {
        user_fault_kill(fi); /* only that task dies */
    }

    if (!fault_report_stack_overflow(fi)) {
        kprintf("\n*** KERNEL EXCEPTION: %s ***\n", fi->class_name);
    }
    if (fi->detail[0]) {
        kprintf("  what:    %s\n", fi->detail);
    }
    kprintf("  where:   %s (pc 0x%016llx)\n", ksyms_format(fi->pc, where, sizeof(where)),
            (unsigned long long)fi->pc);
    if (fi->address_valid) {
        kprintf("  address: 0x%016llx\n", (unsigned long long)fi->address);
    }
    hal_fault_dump_registers(fi);
    backtrace_print(fi->pc, fi->fp);
    kprintf("kernel: stopped after an exception in the kernel\n");
    hal_power_off(POWER_EXIT_PANIC);
}
