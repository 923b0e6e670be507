/*
 * The early-boot bump allocator (see include/kernel/bump.h): a range and a
 * cursor. It is the allocator to read first: everything a real allocator
 * adds (freeing, reuse, fragmentation) is what this one leaves out.
 */
#include "kernel/bump.h"

#include "kernel/boot_info.h"
#include "kernel/frame.h"
#include "uapi/errors.h"

void bump_init(struct bump *b, uint64_t start, uint64_t end)
{
    b->start = start;
    b->next = start;
    b->end = end > start ? end : start;
}

/* The DTB and reserved ranges are the only things after the kernel we must not hand out. */
static const struct mem_range *bump_obstacle(const struct boot_info *bi, unsigned i)
{
    return i == 0 ? &bi->dtb : &bi->reserved[i - 1];
}

int bump_init_from_boot_info(struct bump *b, const struct boot_info *bi)
{
    uint64_t kernel_end = bi->kernel.base + bi->kernel.size;
    uint64_t start = (kernel_end + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
    uint64_t end = 0;
    unsigned obstacles = 1 + bi->reserved_count;

    for (unsigned i = 0; i < bi->ram_count; i++) {
        const struct mem_range *r = &bi->ram[i];
        if (bi->kernel.base >= r->base && bi->kernel.base - r->base < r->size) {
            end = (r->base + r->size) & ~(FRAME_SIZE - 1);
        }
    }
    if (end == 0) {
        return E_INVAL;
    }
    /* Step over any obstacle that covers start; each pass can only move start forward. */
    for (unsigned pass = 0; pass <= obstacles; pass++) {
        for (unsigned i = 0; i < obstacles; i++) {
            const struct mem_range *o = bump_obstacle(bi, i);
            uint64_t o_end = (o->base + o->size + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
            if (o->size != 0 && o->base < start + FRAME_SIZE && o_end > start) {
                start = o_end;
            }
        }
    }
    /* Then stop at the first obstacle above start. */
    for (unsigned i = 0; i < obstacles; i++) {
        const struct mem_range *o = bump_obstacle(bi, i);
        uint64_t o_base = o->base & ~(FRAME_SIZE - 1);
        if (o->size != 0 && o_base >= start && o_base < end) {
            end = o_base;
        }
    }
    if (start >= end) {
        return E_NOMEM;
    }
    bump_init(b, start, end);
    return 0;
}

uint64_t bump_alloc(struct bump *b, size_t size, size_t align)
{
    if (size == 0 || align == 0 || (align & (align - 1)) != 0) {
        return 0;
    }
    uint64_t pa = (b->next + align - 1) & ~((uint64_t)align - 1);
    /* Written as subtractions so that a huge size cannot wrap around. */
    if (pa < b->next || pa > b->end || size > b->end - pa) {
        return 0;
    }
    b->next = pa + size;
    return pa;
}

uint64_t bump_used(const struct bump *b)
{
    return b->next - b->start;
}

void bump_retire(struct bump *b)
{
    b->end = b->next;
}
