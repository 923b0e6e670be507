/*
 * The physical frame allocator: a binary buddy allocator.
 *
 * Memory is handed out in blocks of 2^order frames (order 0 is one 4 KiB
 * frame, FRAME_MAX_ORDER is 4 MiB), each aligned to its own size. A free
 * block of order k is either handed out whole or split into two "buddies"
 * of order k-1; when both buddies are free again they merge back. The buddy
 * of the block at pa is at pa ^ (FRAME_SIZE << k), so finding it costs
 * nothing, and every alloc and free is O(FRAME_MAX_ORDER).
 *
 * Bookkeeping:
 *   - one byte per frame (meta[]): for the first frame of a block, whether
 *     the block is free or allocated and its order; plus a "not RAM" mark
 *     for holes, the kernel, the DTB and reserved ranges. The array comes
 *     from the early bump allocator (kernel/bump.c).
 *   - one doubly linked free list per order, whose links live in the first
 *     16 bytes of each free block itself, reached through hal_phys_to_virt().
 *     That is the only way this file touches physical memory, which is what
 *     lets the host tests back "physical memory" with a host buffer.
 *
 * Allocators are instances, so tests build small private ones; the kernel
 * has one global instance, set up once from the boot info (frame_global()).
 *
 * Zeroed memory. Every frame frame_alloc_order() hands out is zero-filled.
 * Frames are zeroed when they are freed (hal_zero_page: nothing of the last
 * owner stays in free memory), so an allocation only clears the free-list
 * links a free frame carried; a frame never allocated since boot is zeroed
 * at its first allocation instead. Callers do not zero what they get.
 *
 * Use after free. A frame is still zero when it is handed out again, unless
 * something wrote into it while it was free. With CONFIG_FRAME_CHECK (on in
 * the -O0 builds, where time matters least; make test runs two), every
 * allocation checks that, and reports "frame: use after free detected in
 * frame 0x..." Double frees are caught in every build: that costs only a
 * meta[] walk.
 *
 * What each frame is for. Every allocated frame carries a use tag
 * (use[], one more byte per frame): kernel data until its owner says
 * otherwise, a translation table, or user memory. The tag is how the
 * kernel keeps its rule that no task ever maps a frame the kernel
 * interprets: vspace_map refuses a user mapping of any RAM frame not
 * tagged FRAME_USE_USER, and the audit (vspace_audit) checks every task's
 * tables against the tags before they are freed.
 *
 * The kernel's instance is shared: every call needs the kernel lock
 * (include/kernel/klock.h). A test's private instance is its own, but the
 * calls still check for the lock, so tests hold it as any caller does.
 */
#ifndef KERNEL_FRAME_H
#define KERNEL_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/bump.h"
#include "kernel/klock.h"
#include "kernel/panic.h"

#define FRAME_SHIFT     12
#define FRAME_SIZE      (1ULL << FRAME_SHIFT)
#define FRAME_MAX_ORDER 10
#define FRAME_ORDERS    (FRAME_MAX_ORDER + 1)

/* Byte size of a block of the given order. */
#define FRAME_ORDER_SIZE(order) (FRAME_SIZE << (order))

#ifndef CONFIG_FRAME_CHECK
#define CONFIG_FRAME_CHECK 0
#endif
/* How many freed single frames the stash keeps out of the buddy lists. */
#define FRAME_STASH_SIZE 32
/* How many bytes at the start of a free block hold free-list links. */
#define FRAME_LINK_BYTES 16

struct boot_info;

/* What an allocated frame is for (frame_use_of). */
enum frame_use {
    FRAME_USE_FREE = 0, /* not allocated */
    FRAME_USE_KERNEL,   /* kernel data: stacks, anything the kernel reads and writes itself */
    FRAME_USE_TABLE,    /* a translation table */
    FRAME_USE_USER,     /* mapped into a task: plain memory the task may write */
    FRAME_USE_NOT_RAM,  /* outside the allocator's RAM: a hole, the kernel image, a device */
};

struct frame_allocator {
    uint64_t base;                      /* physical address of the frame meta[0] describes */
    uint64_t nframes;                   /* frames meta[] describes (RAM or not) */
    uint8_t *meta;                      /* one byte per frame, see frame.c */
    uint8_t *use;                       /* one enum frame_use per frame */
    uint64_t free_head[FRAME_ORDERS];   /* first free block per order, or FRAME_NONE */
    uint64_t free_blocks[FRAME_ORDERS]; /* length of each free list */
    uint64_t managed_frames;            /* frames ever added: free + used */
    uint64_t free_frames;
    uint64_t double_frees;   /* double frees caught so far */
    uint64_t use_after_free; /* frames found written while free, so far */
    bool stash_on;           /* keeps freed single frames in stash[] (frame.c) */
    unsigned stashed;
    uint64_t stash[FRAME_STASH_SIZE];
};

/* An impossible frame address: the end of a free list. */
#define FRAME_NONE UINT64_MAX

/*
 * Prepares fa to describe the physical span [base, end), with no free frames
 * yet (add them with frame_add_range()). meta[] and use[] (one byte each per
 * frame of the span) are taken from early. Returns 0, E_INVAL for an empty span, or E_NOMEM
 * if early cannot hold meta[].
 */
int frame_init(struct frame_allocator *fa, uint64_t base, uint64_t end, struct bump *early);

/*
 * Hands the frames wholly inside [base, end) to fa (base is rounded up, end
 * down, to a frame). The range must lie inside fa's span and must not
 * overlap memory already added. Returns 0 or E_INVAL (nothing is added then).
 */
int frame_add_range(struct frame_allocator *fa, uint64_t base, uint64_t end);

/*
 * Sets fa up over every RAM range of bi except the kernel image, the DTB,
 * the reserved ranges and what early has handed out, including fa's own
 * meta[], which is taken from early first. The rest of early's range goes to
 * fa, so early is retired: it hands out nothing after this call.
 * Returns 0, E_INVAL (no RAM, overlapping RAM ranges) or E_NOMEM (early too
 * small for meta[]: the RAM ranges span too far).
 */
int frame_init_from_boot_info(struct frame_allocator *fa, const struct boot_info *bi,
                              struct bump *early);

/*
 * Allocates a block of 2^order contiguous frames, aligned to its size, and
 * stores its physical address in *pa_out, zero-filled. Its frames are
 * tagged FRAME_USE_KERNEL. Returns 0, E_NOMEM when no block that
 * large is free (or fault injection says so: include/kernel/failpoint.h;
 * never panics), or E_INVAL if order > FRAME_MAX_ORDER.
 */
int frame_alloc_order(struct frame_allocator *fa, unsigned order, uint64_t *pa_out);

/*
 * Frees the block at pa that frame_alloc_order(fa, order, ...) returned.
 * Returns 0, or E_INVAL, with a "frame: ..." line on the console, if pa is
 * misaligned, outside fa, not RAM, not the start of an allocated block of
 * that order, or already free ("frame: double free of 0x... (order N)").
 * A rejected free changes nothing.
 */
int frame_free_order(struct frame_allocator *fa, uint64_t pa, unsigned order);

/* Single frames: frame_alloc_order(fa, 0, ...) and frame_free_order(fa, pa, 0). */
int frame_alloc(struct frame_allocator *fa, uint64_t *pa_out);

/* frame_alloc of a frame tagged use from the start (not FRAME_USE_FREE):
 * what a user page or a table asks for, without a retag. */
int frame_alloc_for(struct frame_allocator *fa, enum frame_use use, uint64_t *pa_out);
int frame_free(struct frame_allocator *fa, uint64_t pa);

/* What the frame at pa is for: FRAME_USE_FREE if free, FRAME_USE_NOT_RAM if
 * fa does not manage it. Inline, as the two below: every page a task maps
 * comes by here. */
static inline enum frame_use frame_use_of(const struct frame_allocator *fa, uint64_t pa)
{
    uint64_t i = (pa - fa->base) >> FRAME_SHIFT;

    return pa >= fa->base && i < fa->nframes ? (enum frame_use)fa->use[i] : FRAME_USE_NOT_RAM;
}

/* Retags one allocated frame (not to FRAME_USE_FREE: freeing does that). */
static inline void frame_set_use(struct frame_allocator *fa, uint64_t pa, enum frame_use use)
{
    KLOCK_ASSERT_HELD();
    KASSERT(frame_use_of(fa, pa) != FRAME_USE_FREE && frame_use_of(fa, pa) != FRAME_USE_NOT_RAM &&
            use != FRAME_USE_FREE);
    fa->use[(pa - fa->base) >> FRAME_SHIFT] = (uint8_t)use;
}

/* Frames currently free, and handed out, in fa. Their sum never changes after init. */
static inline uint64_t frame_free_count(const struct frame_allocator *fa)
{
    return fa->free_frames;
}
uint64_t frame_used_count(const struct frame_allocator *fa);

/* Number of free blocks of exactly this order (0 for an order out of range). */
uint64_t frame_free_blocks(const struct frame_allocator *fa, unsigned order);

/* Turns the stash of freed single frames on or off (off empties it into
 * the buddy lists). The kernel's own allocator has it on; others start
 * without, so the tests see the buddy lists alone. Kernel lock held. */
void frame_stash_enable(struct frame_allocator *fa, bool on);

/* Prints one "frame: ..." line: free and used frames and the free blocks per order. */
void frame_print_summary(const struct frame_allocator *fa);

/*
 * Sets up the kernel's global allocator with frame_init_from_boot_info().
 * Call once, from kmain, before anything asks for frames. Returns its result;
 * on failure frame_global() stays NULL.
 */
int frame_global_init(const struct boot_info *bi, struct bump *early);

/* The kernel's global allocator, or NULL before frame_global_init() succeeded. */
struct frame_allocator *frame_global(void);

#endif
