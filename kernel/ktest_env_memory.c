/*
 * The kernel's provider of ktest_env_phys_region() (see
 * include/lib/ktest_env_memory.h): real physical memory for the test cases
 * that build private frame allocators or page tables. Regions come from the
 * global frame allocator, as one block of the smallest order that holds
 * the size.
 */
#include "lib/ktest_env_memory.h"
#include "kernel/frame.h"
#include "kernel/klock.h"
#include "uapi/errors.h"

/* The smallest order whose block holds size bytes. */
static unsigned ktest_env_order(size_t size)
{
    unsigned order = 0;
    while (FRAME_ORDER_SIZE(order) < size) {
        order++;
    }
    return order;
}

int ktest_env_phys_region(size_t size, uint64_t *pa_out)
{
    if (size == 0 || size % FRAME_SIZE != 0 || size > KTEST_ENV_PHYS_MAX) {
        return E_INVAL;
    }
    struct frame_allocator *fa = frame_global();
    if (!fa) {
        return E_NOMEM; /* kmain has not set up the frame allocator */
    }
    unsigned long flags = klock_acquire();
    int err = frame_alloc_order(fa, ktest_env_order(size), pa_out);
    klock_release(flags);
    return err;
}

void ktest_env_phys_release(uint64_t pa, size_t size)
{
    struct frame_allocator *fa = frame_global();

    if (fa) {
        unsigned long flags = klock_acquire();
        frame_free_order(fa, pa, ktest_env_order(size));
        klock_release(flags);
    }
}
