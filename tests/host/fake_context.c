/*
 * The host test build's thread switch: include/hal/context.h on top of
 * POSIX ucontext, so the real scheduler and IPC code run unchanged on the
 * host. Each struct hal_context is paired with a ucontext_t in a table
 * keyed by its address (thread slots never move, so neither do contexts).
 *
 * AddressSanitizer must be told when the stack changes under it, or it
 * reports false errors; the __sanitizer_*_switch_fiber calls do that.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <ucontext.h>

#include "hal/context.h"
#include "fake_irq_timer.h"
#include "hal/cpu.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif

#ifdef HAVE_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

#define FAKE_CONTEXTS 256

struct fake_context {
    const struct hal_context *owner;
    ucontext_t uc;
    const void *stack_base; /* for ASan; learned on the first switch away for "main" */
    size_t stack_size;
    void *asan_fake_stack;
    void (*entry)(void *);
    void *arg;
};

static struct fake_context fakes[FAKE_CONTEXTS];
/* The context being switched away from, so the new side can learn its stack. */
static struct fake_context *switching_from;

static struct fake_context *fake_of(const struct hal_context *ctx)
{
    for (unsigned i = 0; i < FAKE_CONTEXTS; i++) {
        if (fakes[i].owner == ctx) {
            return &fakes[i];
        }
    }
    for (unsigned i = 0; i < FAKE_CONTEXTS; i++) {
        if (!fakes[i].owner) {
            fakes[i].owner = ctx;
            return &fakes[i];
        }
    }
    fprintf(stderr, "fake_context: out of contexts\n");
    abort();
}

/* Called on the new stack after a switch: tell ASan, and learn the old stack's bounds. */
static void fake_arrived(void *fake_stack)
{
#ifdef HAVE_ASAN
    const void *bottom = NULL;
    size_t size = 0;
    __sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
    if (switching_from && !switching_from->stack_base) {
        switching_from->stack_base = bottom;
        switching_from->stack_size = size;
    }
#else
    (void)fake_stack;
#endif
}

static void fake_trampoline(unsigned hi, unsigned lo)
{
    struct fake_context *f = (struct fake_context *)(((uintptr_t)hi << 32) | lo);

    fake_arrived(NULL);
    f->entry(f->arg);
    fprintf(stderr, "fake_context: a thread entry returned\n");
    abort();
}

void hal_context_init(struct hal_context *ctx, void *stack_base, size_t stack_size,
                      void (*entry)(void *), void *arg)
{
    struct fake_context *f = fake_of(ctx);
    uintptr_t p = (uintptr_t)f;

    getcontext(&f->uc);
    f->stack_base = stack_base;
    f->stack_size = stack_size;
    f->entry = entry;
    f->arg = arg;
    /* Leave the lowest words alone: the kernel keeps its stack canary there. */
    f->uc.uc_stack.ss_sp = (char *)stack_base + 64;
    f->uc.uc_stack.ss_size = stack_size - 64;
    f->uc.uc_link = NULL;
    makecontext(&f->uc, (void (*)(void))fake_trampoline, 2, (unsigned)(p >> 32),
                (unsigned)(p & 0xffffffffu));
}

void hal_context_switch(struct hal_context *from, struct hal_context *to)
{
    struct fake_context *f = fake_of(from);
    struct fake_context *t = fake_of(to);

    switching_from = f;
#ifdef HAVE_ASAN
    __sanitizer_start_switch_fiber(&f->asan_fake_stack, t->stack_base, t->stack_size);
#endif
    swapcontext(&f->uc, &t->uc);
    fake_arrived(f->asan_fake_stack);
}

/* Every thread waits. If a timer deadline is armed, time jumps to it and its
 * interrupt arrives; otherwise nothing can ever wake anyone: a deadlock in
 * the code under test. */
void hal_cpu_idle(void)
{
    if (!fake_timer_fire_next()) {
        fprintf(stderr, "fake_context: deadlock: every thread is blocked\n");
        abort();
    }
}

/* Only a parked user thread's switch loads without saving, and the host
 * has no user threads. */
void hal_context_load(const struct hal_context *to)
{
    (void)to;
    fprintf(stderr, "fake_context: hal_context_load called in a host test\n");
    abort();
}
