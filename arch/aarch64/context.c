/* Setting up a thread's saved context (arch/context.h; context_switch.S uses it). */
#include "arch/context.h"
#include "arch/trap_frame.h"
#include "hal/user.h"

void context_thread_start(void);

static struct arch_context *arch_context_of(struct hal_context *ctx)
{
    return (struct arch_context *)ctx->words;
}

void hal_context_init(struct hal_context *ctx, void *stack_base, size_t stack_size,
                      void (*entry)(void *), void *arg)
{
    struct arch_context *c = arch_context_of(ctx);
    /* The AArch64 ABI wants sp 16-byte aligned at every call. */
    uintptr_t top = ((uintptr_t)stack_base + stack_size) & ~(uintptr_t)15;

    for (int i = 0; i < HAL_CONTEXT_WORDS; i++) {
        ctx->words[i] = 0;
    }
    c->x19 = (uint64_t)(uintptr_t)entry;
    c->x20 = (uint64_t)(uintptr_t)arg;
    c->x29 = 0;
    c->x30 = (uint64_t)(uintptr_t)context_thread_start;
    c->sp = top;
}

struct trap_frame *hal_user_frame(void *kstack_top)
{
    return (struct trap_frame *)((uintptr_t)kstack_top - sizeof(struct trap_frame));
}
