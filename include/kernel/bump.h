/*
 * The early-boot bump allocator: the simplest allocator there is.
 *
 * It owns one range of physical memory and a cursor. Each allocation moves
 * the cursor forward; nothing is ever freed. That is all early boot needs
 * (a few tables that live forever), and it needs no metadata, so it works
 * before any other allocator exists. The buddy allocator (kernel/frame.c)
 * takes its own bookkeeping from here, then takes over the rest of RAM and
 * retires the bump allocator.
 *
 * The bump allocator only does arithmetic on physical addresses: it never
 * reads or writes the memory it hands out, and never zeroes it.
 */
#ifndef KERNEL_BUMP_H
#define KERNEL_BUMP_H

#include <stddef.h>
#include <stdint.h>

struct boot_info;

struct bump {
    uint64_t start; /* first address this allocator was given */
    uint64_t next;  /* first address not yet handed out */
    uint64_t end;   /* one past the last usable address */
};

/*
 * Gives b the physical range [start, end). The caller guarantees that the
 * range is RAM that nothing else uses.
 */
void bump_init(struct bump *b, uint64_t start, uint64_t end);

/*
 * Sets b up over the first free RAM after the kernel image: from the end of
 * the kernel (rounded up to a frame) to the end of the RAM range holding the
 * kernel, stopping short of the DTB or any reserved range that lies above.
 * Returns 0, E_INVAL if no RAM range holds the kernel, or E_NOMEM if no free
 * frame follows it.
 */
int bump_init_from_boot_info(struct bump *b, const struct boot_info *bi);

/*
 * Hands out size bytes at an address that is a multiple of align (a power of
 * two). Returns the physical address, or 0 if the request does not fit, size
 * is 0 or align is not a power of two. (0 is never RAM on the machines we run
 * on, so it is free to mean "no memory".) The memory is not zeroed.
 */
uint64_t bump_alloc(struct bump *b, size_t size, size_t align);

/* Bytes handed out so far, alignment padding included. */
uint64_t bump_used(const struct bump *b);

/*
 * Stops b for good: every later bump_alloc() fails. frame_init_from_boot_info()
 * calls this when the buddy allocator takes over what b had not handed out.
 */
void bump_retire(struct bump *b);

#endif
