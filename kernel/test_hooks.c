/* The crash= test hooks (see include/kernel/test_hooks.h). */
#include "kernel/test_hooks.h"

#include <stdint.h>

#include "hal/cpu.h"
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
