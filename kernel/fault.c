/*
 * kernel_fault: the core's answer to an exception the architecture could
 * not handle. For now every such exception is a kernel bug, so the answer
 * is a report a learner can read, then power off with a failure status.
 * (A fault in a user task will kill only that task.)
 */
#include "hal/fault.h"
#include "hal/power.h"
#include "kernel/ksyms.h"
#include "lib/printf.h"

void kernel_fault(const struct fault_info *fi)
{
    char where[96];

    kprintf("\n*** KERNEL EXCEPTION: %s ***\n", fi->class_name);
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
