/* The crash= test hooks (see include/kernel/test_hooks.h). */
#include "kernel/test_hooks.h"

#include <stdint.h>

#include "hal/context.h"
#include "hal/cpu.h"
#include "hal/irq.h"
#include "hal/timer.h"
#include "hal/user.h"
#include "kernel/frame.h"
#include "kernel/umem.h"
#include "uapi/syscall.h"
#include "kernel/irq.h"
#include "kernel/thread.h"
#include "kernel/cmdline.h"
#include "kernel/klock.h"
#include "kernel/kstack.h"
#include "kernel/panic.h"
#include "lib/errors.h"
#include "lib/printf.h"
#include "lib/string.h"

/* Volatile so the compiler cannot see the null pointer and rewrite the store. */
static volatile uintptr_t test_hook_bad_address;

static __attribute__((noinline)) void test_hook_null_write(void)
{
    *(volatile uint32_t *)test_hook_bad_address = 0xdead;
}

/* Kernel text is mapped read-only and executable (W^X): overwriting an instruction faults. */
static __attribute__((noinline)) void test_hook_text_write(void)
{
    volatile uint32_t *insn = (volatile uint32_t *)(uintptr_t)test_hook_text_write;

    kprintf("test: writing to kernel text at %p\n", (void *)insn);
    *insn = HAL_CPU_NOP_INSN; /* harmless, if it were allowed */
}

/* Volatile, so the compiler can see neither the end nor the lack of one. */
static volatile uint64_t test_hook_recursion_limit = UINT64_MAX;

/* 256 bytes of frame per call; passing our frame down keeps each call's frame alive
 * (no tail call, no loop). */
static __attribute__((noinline)) uint64_t test_hook_recurse(uint64_t depth,
                                                            volatile uint64_t *parent)
{
    volatile uint64_t frame[32];

    frame[0] = depth + (parent ? parent[0] : 0);
    if (depth == test_hook_recursion_limit) {
        return frame[0];
    }
    return test_hook_recurse(depth + 1, frame);
}

static void test_hook_overflow_entry(void *arg)
{
    (void)arg;
    test_hook_recurse(0, NULL);
}

/* Recursion without end on a fresh guard-paged kernel stack: the guard must catch it. */
static void test_hook_stack_overflow(void)
{
    static struct hal_context from;
    static struct hal_context to;
    static struct kstack ks;

    klock_acquire(); /* never released: this thread does not come back */
    int err = kstack_alloc(&ks, "crash-test");
    if (err < 0) {
        panic("test hook: no kernel stack: %s", error_name(err));
    }
    kprintf("test: recursing on kstack slot %u, 0x%llx-0x%llx, guard below\n", ks.slot,
            (unsigned long long)(uintptr_t)ks.base, (unsigned long long)(uintptr_t)kstack_top(&ks));
    hal_context_init(&to, ks.base, ks.size, test_hook_overflow_entry, NULL);
    hal_context_switch(&from, &to);
}

static void test_hook_pan(void);

bool test_hook_syscall_panic;

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
    } else if (strcmp(kind, "pan") == 0) {
        test_hook_pan();
        return;
    } else if (strcmp(kind, "panic") == 0) {
        panic("test hook: crash=panic");
    } else if (strcmp(kind, "syscall") == 0) {
        test_hook_syscall_panic = true; /* the first debug_write from user mode panics */
        return;
    } else if (strcmp(kind, "text-write") == 0) {
        test_hook_text_write();
    } else if (strcmp(kind, "stack-overflow") == 0) {
        test_hook_stack_overflow();
    } else {
        kprintf("test: unknown crash kind '%s' (known: null, undef, panic, syscall, pan, "
                "text-write, stack-overflow)\n",
                kind);
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

/*
 * crash=pan: the kernel reads user memory directly, as a buggy system call
 * might. With PAN (Cortex-A76 and later) that is a permission fault and a
 * kernel exception report; without PAN (Cortex-A53) it quietly works, which
 * is why the kernel's own code only ever copies through kernel/umem.c.
 */
static void test_hook_pan(void)
{
    static struct umem mem;
    const uint64_t va = 0x500000;
    unsigned long flags = klock_acquire();

    if (umem_init(&mem, frame_global()) < 0 ||
        umem_map(&mem, va, 4096, PROT_READ | PROT_WRITE, UMEM_ANON) < 0) {
        panic("test hook crash=pan: cannot set up a user page");
    }
    umem_activate(&mem);
    kprintf("test: PAN is %s; reading user address 0x%llx directly from the kernel\n",
            hal_pan_enabled() ? "on" : "not available on this CPU", (unsigned long long)va);
    uint64_t value = *(volatile const uint64_t *)(uintptr_t)va;
    kprintf("test: the read returned 0x%llx: nothing stopped it\n", (unsigned long long)value);
    umem_activate(NULL);
    umem_destroy(&mem);
    klock_release(flags);
}
