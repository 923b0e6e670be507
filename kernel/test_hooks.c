/* The crash= test hooks (see include/kernel/test_hooks.h). */
#include "kernel/test_hooks.h"

#include <stdint.h>

#include "hal/cpu.h"
#include "hal/timer.h"
#include "kernel/irq.h"
#include "kernel/thread.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "lib/printf.h"
#include "lib/string.h"

/* Volatile so the compiler cannot see the null pointer and rewrite the store. */
static volatile uintptr_t test_hook_bad_address;

static __attribute__((noinline)) void test_hook_null_write(void)
{
    *(volatile uint32_t *)test_hook_bad_address = 0xdead;
}

void test_hooks_run(const char *cmdline)
{
    char kind[16];

    if (!cmdline_get(cmdline, "crash", kind, sizeof(kind))) {
        return;
    }
    kprintf("test: crash=%s requested\n", kind);
    if (strcmp(kind, "null") == 0) {
        test_hook_null_write();
    } else if (strcmp(kind, "undef") == 0) {
        hal_debug_undefined_instruction();
    } else if (strcmp(kind, "panic") == 0) {
        panic("test hook: crash=panic");
    } else {
        kprintf("test: unknown crash kind '%s' (known: null, undef, panic)\n", kind);
        return;
    }
    panic("test hook crash=%s did not stop the kernel", kind);
}

/* Hooks that need interrupts and the timer running. */
void test_hooks_run_late(const char *cmdline)
{
    char kind[16];

    if (!cmdline_get(cmdline, "irqtest", kind, sizeof(kind))) {
        return;
    }
    if (strcmp(kind, "unhandled") != 0) {
        kprintf("test: unknown irqtest '%s' (known: unhandled)\n", kind);
        return;
    }
    uint32_t irq = hal_debug_fire_unhandled_irq();
    kprintf("test: raised interrupt %u, which has no handler\n", irq);
    thread_sleep(20 * 1000 * 1000);
    kprintf("test: 20 ms later: %llu unhandled interrupt(s), kernel still running\n",
            (unsigned long long)irq_unhandled_count());
}
