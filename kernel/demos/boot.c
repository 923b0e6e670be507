/*
 * Demo "boot" (part 1; the default demo is "user"). The boot banner and memory map that kmain()
 * prints are most of the show; this adds where code, data and the stack
 * ended up, so a learner sees the upper-half addresses and can find them in
 * build/kernel.sym.
 */
#include "hal/memory.h"
#include "kernel/boot_info.h"
#include "kernel/demo.h"
#include "lib/printf.h"

static int demo_boot_counter = 42;

DEMO(boot, "boot", "boot to C and print the machine's memory map")
{
    int on_stack = 0;
    const void *code = (const void *)(uintptr_t)demo_run_boot;

    kprintf("demo/boot: the kernel runs in the upper half of the address space:\n");
    kprintf("demo/boot:   code  %p (this demo)        -> physical 0x%llx\n", code,
            (unsigned long long)hal_virt_to_phys(code));
    kprintf("demo/boot:   data  %p (a global)         -> physical 0x%llx\n",
            (void *)&demo_boot_counter, (unsigned long long)hal_virt_to_phys(&demo_boot_counter));
    kprintf("demo/boot:   stack %p (a local variable) -> physical 0x%llx\n", (void *)&on_stack,
            (unsigned long long)hal_virt_to_phys(&on_stack));
    kprintf("demo/boot: the image spans physical 0x%llx-0x%llx\n",
            (unsigned long long)bi->kernel.base,
            (unsigned long long)(bi->kernel.base + bi->kernel.size));
}
