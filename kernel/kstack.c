/*
 * Guard-paged kernel stacks (the layout and the contract are in
 * include/kernel/kstack.h). A stack is a block of contiguous frames from
 * the kernel's frame allocator, mapped into its slot of the stack region of
 * kernel_vspace(); the slot's lower half, the guard, is never mapped.
 *
 * The slot table is a fixed array, as the thread table is: taking a slot
 * never allocates.
 */
#include "kernel/kstack.h"

#include "hal/memory.h"
#include "hal/mmu.h"
#include "kernel/failpoint.h"
#include "kernel/frame.h"
#include "kernel/kernel_vspace.h"
#include "kernel/klock.h"
#include "lib/string.h"
#include "uapi/errors.h"

/* KSTACK_SIZE in frames, as a buddy order. */
#define KSTACK_ORDER 1
_Static_assert(FRAME_ORDER_SIZE(KSTACK_ORDER) == KSTACK_SIZE, "KSTACK_ORDER matches KSTACK_SIZE");

struct kstack_slot {
    bool used;
    char owner[16];
};

static struct kstack_slot kstack_slots[KSTACK_MAX_SLOTS];
static unsigned kstack_used;

uint64_t kstack_slot_base(unsigned slot)
{
    return KSTACK_REGION_BASE + ((uint64_t)slot << KSTACK_SLOT_SHIFT) + KSTACK_SLOT_SIZE / 2;
}

int kstack_alloc(struct kstack *ks, const char *owner)
{
    struct vspace *kvs = kernel_vspace();
    unsigned slot;
    uint64_t pa;
    int err = 0;

    KLOCK_ASSERT_HELD();
    if (!kvs) {
        return E_INVAL;
    }
    slot = 0;
    while (slot < KSTACK_MAX_SLOTS && kstack_slots[slot].used) {
        slot++;
    }
    if (slot == KSTACK_MAX_SLOTS || failpoint_hit(FAILPOINT_KSTACK)) {
        err = E_NOSPC;
    } else if (frame_alloc_order(kvs->frames, KSTACK_ORDER, &pa) < 0) {
        err = E_NOMEM;
    } else {
        err = vspace_map(kvs, kstack_slot_base(slot), pa, KSTACK_SIZE, MMU_READ | MMU_WRITE,
                         MMU_NORMAL);
        if (err < 0) {
            frame_free_order(kvs->frames, pa, KSTACK_ORDER);
        }
    }
    if (err == 0) {
        kstack_slots[slot].used = true;
        strlcpy(kstack_slots[slot].owner, owner ? owner : "?", sizeof(kstack_slots[slot].owner));
        kstack_used++;
        ks->base = (uint8_t *)(uintptr_t)kstack_slot_base(slot);
        ks->size = KSTACK_SIZE;
        ks->pa = pa;
        ks->slot = slot;
    }
    return err;
}

void kstack_free(struct kstack *ks)
{
    struct vspace *kvs = kernel_vspace();

    KLOCK_ASSERT_HELD();
    vspace_unmap(kvs, kstack_slot_base(ks->slot), KSTACK_SIZE);
    frame_free_order(kvs->frames, ks->pa, KSTACK_ORDER);
    kstack_slots[ks->slot].used = false;
    kstack_used--;
    ks->base = NULL;
    ks->pa = 0;
}

void *kstack_usable_base(const struct kstack *ks)
{
    return kernel_vspace_installed() ? (void *)ks->base : hal_phys_to_virt(ks->pa);
}

bool kstack_find_guard(uint64_t addr, unsigned *slot)
{
    if (addr < KSTACK_REGION_BASE || addr - KSTACK_REGION_BASE >= (1ULL << KSTACK_REGION_SHIFT)) {
        return false;
    }
    uint64_t index = (addr - KSTACK_REGION_BASE) >> KSTACK_SLOT_SHIFT;
    if (index >= KSTACK_MAX_SLOTS || (addr & (1ULL << KSTACK_GUARD_BIT)) != 0) {
        return false;
    }
    if (slot) {
        *slot = (unsigned)index;
    }
    return true;
}

const char *kstack_owner(unsigned slot)
{
    return slot < KSTACK_MAX_SLOTS && kstack_slots[slot].used ? kstack_slots[slot].owner : NULL;
}

unsigned kstack_count(void)
{
    return kstack_used;
}
