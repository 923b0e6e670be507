/* Setting up a new thread's saved context (see context_switch.S for the layout). */
#include "hal/context.h"

enum { CTX_X19 = 0, CTX_X20 = 1, CTX_X29 = 10, CTX_X30 = 11, CTX_SP = 12 };

void context_thread_start(void);

void hal_context_init(struct hal_context *ctx, void *stack_base, size_t stack_size,
                      void (*entry)(void *), void *arg)
{
    /* The AArch64 ABI wants sp 16-byte aligned at every call. */
    uintptr_t top = ((uintptr_t)stack_base + stack_size) & ~(uintptr_t)15;

    for (int i = 0; i < HAL_CONTEXT_WORDS; i++) {
        ctx->words[i] = 0;
    }
    ctx->words[CTX_X19] = (uint64_t)(uintptr_t)entry;
    ctx->words[CTX_X20] = (uint64_t)(uintptr_t)arg;
    ctx->words[CTX_X29] = 0;
    ctx->words[CTX_X30] = (uint64_t)(uintptr_t)context_thread_start;
    ctx->words[CTX_SP] = top;
}
