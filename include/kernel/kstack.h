/*
 * Guard-paged kernel stacks.
 *
 * Each stack lives in a slot of its own in a dedicated upper-half region.
 * A slot is twice the stack size, and only its upper half is ever mapped:
 *
 *   KSTACK_REGION_BASE + slot * KSTACK_SLOT_SIZE
 *   |<----- guard: never mapped ----->|<------ stack: mapped RW NX ------>|
 *                                     base                          top = initial sp
 *
 * A stack that grows past its base lands in the guard and takes a
 * translation fault instead of silently corrupting whatever lies below. The
 * guard is as large as the stack, so even a big frame cannot jump over it.
 *
 * The fault cannot be handled on the stack that overflowed, so the
 * exception vector (arch/aarch64/vectors.S) checks, before pushing anything,
 * whether its frame would land in a guard, and if so switches to a per-CPU
 * emergency stack. It finds guards with two bit tests, which is why the
 * region and the slots are powers of two; these constants are shared with
 * that assembly. kernel_fault() then reports "kernel stack overflow" when
 * the faulting address is in a guard (kstack_find_guard()).
 */
#ifndef KERNEL_KSTACK_H
#define KERNEL_KSTACK_H

#include "hal/mmu.h"
#include "kernel/config.h"

/*
 * The region: 1 GiB halfway into the kernel's half, far above the linear
 * map of RAM. The vectors (arch/aarch64/vectors.S) eor an address with the
 * base, so the base must be 1 GiB aligned and encodable as a logical
 * immediate; bits 63 to 47 set, as here, is both.
 */
#define KSTACK_REGION_BASE  (MMU_KERNEL_BASE + 0x800000000000)
#define KSTACK_REGION_SHIFT 30
/* Slots of 16 KiB: 8 KiB of guard below 8 KiB of stack (CONFIG_KSTACK_SIZE). */
#define KSTACK_SLOT_SHIFT   14
/* Within a slot, this address bit is 0 in the guard and 1 in the stack. */
#define KSTACK_GUARD_BIT    (KSTACK_SLOT_SHIFT - 1)
/* How many stacks can exist at once. */
#define KSTACK_MAX_SLOTS    256

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KSTACK_SLOT_SIZE (1ULL << KSTACK_SLOT_SHIFT)
#define KSTACK_SIZE      CONFIG_KSTACK_SIZE

_Static_assert(KSTACK_SIZE == KSTACK_SLOT_SIZE / 2,
               "CONFIG_KSTACK_SIZE must be half a slot: change KSTACK_SLOT_SHIFT with it");
_Static_assert((KSTACK_REGION_BASE & ((1ULL << KSTACK_REGION_SHIFT) - 1)) == 0,
               "the vectors' region check needs an aligned base");
_Static_assert((uint64_t)KSTACK_MAX_SLOTS << KSTACK_SLOT_SHIFT <= 1ULL << KSTACK_REGION_SHIFT,
               "the slots must fit in the region");

struct kstack {
    uint8_t *base; /* lowest stack address; the guard lies just below */
    size_t size;   /* KSTACK_SIZE */
    uint64_t pa;   /* the physically contiguous frames behind it */
    unsigned slot;
};

/*
 * Allocates a kernel stack: a free slot, KSTACK_SIZE of zeroed contiguous
 * frames from the kernel's frame allocator, mapped read-write and
 * non-executable above an unmapped guard in kernel_vspace(). owner (copied,
 * up to 15 characters) names it in overflow reports. The stack's top, the
 * initial stack pointer, is kstack_top(ks). Returns 0, E_NOSPC (every slot
 * taken), E_NOMEM, or E_INVAL before kernel_vspace_init(). Kernel lock
 * held, as for kstack_free.
 */
int kstack_alloc(struct kstack *ks, const char *owner);

/*
 * Unmaps and frees a stack from kstack_alloc() and frees its slot. Nothing
 * may run on it any more.
 */
void kstack_free(struct kstack *ks);

/*
 * The lowest address to run on: ks->base, the guarded address, once the
 * kernel map is live; in the host tests, where nothing translates ks->base,
 * the frames' linear-map alias instead (no guard there).
 */
void *kstack_usable_base(const struct kstack *ks);

/* One past the highest usable address: where the stack pointer starts. */
static inline void *kstack_top(const struct kstack *ks)
{
    return (uint8_t *)kstack_usable_base(ks) + ks->size;
}

/*
 * Is addr inside the guard of some slot? If so, stores the slot in *slot
 * (when slot is not NULL). Used by the fault path, so it only does
 * arithmetic and never faults.
 */
bool kstack_find_guard(uint64_t addr, unsigned *slot);

/* The owner name of a slot in use, or NULL for a free slot. */
const char *kstack_owner(unsigned slot);

/* The lowest stack address of a slot (its guard is the KSTACK_SIZE below). */
uint64_t kstack_slot_base(unsigned slot);

/* Stacks allocated now (tests use it to check nothing leaks). */
unsigned kstack_count(void);
#endif

#endif
