/*
 * The buddy frame allocator (include/kernel/frame.h explains the idea).
 *
 * Each frame has one meta[] byte. Only the first frame of a block (its
 * "head") says anything about the block:
 *
 *   bits 0-3  order of the block (heads only)
 *   bit 4     META_FREE: head of a free block, which is on free list [order]
 *   bit 5     META_USED: head of an allocated block
 *   bit 6     META_ZEROED: this frame was zeroed when it was freed, and is
 *             zero still, but for stale free-list links in its first
 *             FRAME_LINK_BYTES
 *   bit 7     META_NOT_RAM: a hole, or memory that was never added
 *
 * A frame in the stash (see frame_stash_put) has both META_FREE and
 * META_USED: free, yet no buddy's to merge with, and a second free of it is
 * still a double free.
 *
 * Every other frame of a block has neither META_FREE nor META_USED, so the
 * block holding any frame is found by looking at the aligned addresses below
 * it, one per order (frame_block_of()). That is how a double free is caught
 * even after the freed block has merged into a bigger one.
 */
#include "kernel/frame.h"

#include <stdbool.h>

#include "hal/memory.h"
#include "kernel/boot_info.h"
#include "kernel/failpoint.h"
#include "kernel/klock.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "uapi/errors.h"

#define META_ORDER   0x0f
#define META_FREE    0x10
#define META_USED    0x20
#define META_ZEROED  0x40
#define META_NOT_RAM 0x80

/* The free-list links, at the start of each free block. */
struct frame_link {
    uint64_t next;
    uint64_t prev;
};

static struct frame_allocator frame_kernel;
static bool frame_kernel_ready;

static bool frame_in_span(const struct frame_allocator *fa, uint64_t pa)
{
    return pa >= fa->base && (pa - fa->base) >> FRAME_SHIFT < fa->nframes;
}

static uint8_t *frame_meta(const struct frame_allocator *fa, uint64_t pa)
{
    return &fa->meta[(pa - fa->base) >> FRAME_SHIFT];
}

static struct frame_link *frame_link_of(uint64_t pa)
{
    return hal_phys_to_virt(pa);
}

/* Puts the free block at pa at the front of its list and marks its head. */
static void frame_list_push(struct frame_allocator *fa, uint64_t pa, unsigned order)
{
    struct frame_link *link = frame_link_of(pa);
    uint8_t *m = frame_meta(fa, pa);

    link->next = fa->free_head[order];
    link->prev = FRAME_NONE;
    if (link->next != FRAME_NONE) {
        frame_link_of(link->next)->prev = pa;
    }
    fa->free_head[order] = pa;
    *m = (uint8_t)((*m & META_ZEROED) | META_FREE | order);
    fa->free_blocks[order]++;
    fa->free_frames += 1ULL << order;
}

/* Takes the free block at pa off its list; pa is no longer a head. */
static void frame_list_remove(struct frame_allocator *fa, uint64_t pa, unsigned order)
{
    struct frame_link *link = frame_link_of(pa);
    uint8_t *m = frame_meta(fa, pa);

    if (link->prev != FRAME_NONE) {
        frame_link_of(link->prev)->next = link->next;
    } else {
        fa->free_head[order] = link->next;
    }
    if (link->next != FRAME_NONE) {
        frame_link_of(link->next)->prev = link->prev;
    }
    *m &= META_ZEROED;
    fa->free_blocks[order]--;
    fa->free_frames -= 1ULL << order;
}

/* Returns a block to the free lists, merging it with its buddy for as long as that is free. */
static void frame_release(struct frame_allocator *fa, uint64_t pa, unsigned order)
{
    while (order < FRAME_MAX_ORDER) {
        uint64_t buddy = pa ^ FRAME_ORDER_SIZE(order);
        if (!frame_in_span(fa, buddy) ||
            (*frame_meta(fa, buddy) & (META_FREE | META_USED | META_ORDER)) !=
                (META_FREE | order)) {
            break;
        }
        frame_list_remove(fa, buddy, order);
        pa &= ~FRAME_ORDER_SIZE(order);
        order++;
    }
    frame_list_push(fa, pa, order);
}

/*
 * Finds the block that holds the frame at pa: its head's meta byte, or 0 if
 * pa is in no block. Blocks are aligned to their size, so the head is pa
 * rounded down to some order; the first such address that is a head of at
 * least that order is the one (smaller blocks below pa do not reach it).
 */
static uint8_t frame_block_of(const struct frame_allocator *fa, uint64_t pa)
{
    for (unsigned order = 0; order <= FRAME_MAX_ORDER; order++) {
        uint64_t head = pa & ~(FRAME_ORDER_SIZE(order) - 1);
        if (!frame_in_span(fa, head)) {
            break;
        }
        uint8_t m = *frame_meta(fa, head);
        if ((m & (META_FREE | META_USED)) && (m & META_ORDER) >= order) {
            return m;
        }
    }
    return 0;
}

/* Whether words [from, to) of a free frame are all zero, as freeing left them. */
static bool frame_words_zero(const uint64_t *word, unsigned from, unsigned to)
{
    uint64_t any = 0;

    for (unsigned i = from; i < to; i++) {
        any |= word[i];
    }
    return any == 0;
}

/* With CONFIG_FRAME_CHECK: whether anyone wrote to the zeroed free frame
 * at pa past its free-list links (a use after free); zeroes it again if so. */
static inline void frame_check_untouched(struct frame_allocator *fa, uint64_t pa)
{
    uint64_t *word = hal_phys_to_virt(pa);

    if (CONFIG_FRAME_CHECK && !frame_words_zero(word, FRAME_LINK_BYTES / sizeof(uint64_t),
                                                FRAME_SIZE / sizeof(uint64_t))) {
        kprintf("frame: use after free detected in frame 0x%llx: written while free\n",
                (unsigned long long)pa);
        fa->use_after_free++;
        hal_zero_page(word);
    }
}

/*
 * Makes every frame of the block at pa zero, for the caller: a frame zeroed
 * when it was freed needs only its stale free-list links cleared (and, with
 * CONFIG_FRAME_CHECK, a look at whether anything wrote into it while it was
 * free); a frame never allocated since boot is zeroed now.
 */
static void frame_prepare(struct frame_allocator *fa, uint64_t pa, unsigned order)
{
    for (uint64_t f = pa; f < pa + FRAME_ORDER_SIZE(order); f += FRAME_SIZE) {
        uint8_t *m = frame_meta(fa, f);
        uint64_t *word = hal_phys_to_virt(f);
        if (!(*m & META_ZEROED)) {
            hal_zero_page(word);
            continue;
        }
        *m &= (uint8_t)~META_ZEROED;
        word[0] = 0;
        word[1] = 0;
        frame_check_untouched(fa, f);
    }
}

int frame_init(struct frame_allocator *fa, uint64_t base, uint64_t end, struct bump *early)
{
    KLOCK_ASSERT_HELD();
    base &= ~(FRAME_SIZE - 1);
    end = (end + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
    if (end <= base) {
        return E_INVAL;
    }
    uint64_t nframes = (end - base) >> FRAME_SHIFT;
    /* meta[] and use[]: a byte each per frame, from one bump allocation. */
    uint64_t meta_pa = bump_alloc(early, 2 * nframes, sizeof(uint64_t));
    if (meta_pa == 0) {
        return E_NOMEM;
    }
    memset(fa, 0, sizeof(*fa));
    fa->base = base;
    fa->nframes = nframes;
    fa->meta = hal_phys_to_virt(meta_pa);
    fa->use = fa->meta + nframes;
    memset(fa->meta, META_NOT_RAM, nframes);
    memset(fa->use, FRAME_USE_NOT_RAM, nframes); /* until frame_add_range says otherwise */
    for (unsigned order = 0; order <= FRAME_MAX_ORDER; order++) {
        fa->free_head[order] = FRAME_NONE;
    }
    return 0;
}

int frame_add_range(struct frame_allocator *fa, uint64_t base, uint64_t end)
{
    KLOCK_ASSERT_HELD();
    base = (base + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
    end &= ~(FRAME_SIZE - 1);
    if (end <= base) {
        return 0; /* less than a frame: nothing to add */
    }
    if (!frame_in_span(fa, base) || !frame_in_span(fa, end - FRAME_SIZE)) {
        return E_INVAL;
    }
    /* Check everything first so that a rejected call changes nothing. */
    for (uint64_t pa = base; pa < end; pa += FRAME_SIZE) {
        if (!(*frame_meta(fa, pa) & META_NOT_RAM)) {
            return E_INVAL;
        }
    }
    for (uint64_t pa = base; pa < end; pa += FRAME_SIZE) {
        *frame_meta(fa, pa) = 0;
        fa->use[(pa - fa->base) >> FRAME_SHIFT] = FRAME_USE_FREE;
    }
    fa->managed_frames += (end - base) >> FRAME_SHIFT;
    /* Cut the range into the largest aligned blocks that fit, like binary long division. */
    for (uint64_t pa = base; pa < end;) {
        unsigned order = FRAME_MAX_ORDER;
        while ((pa & (FRAME_ORDER_SIZE(order) - 1)) != 0 || FRAME_ORDER_SIZE(order) > end - pa) {
            order--;
        }
        frame_release(fa, pa, order);
        pa += FRAME_ORDER_SIZE(order);
    }
    return 0;
}

/* Adds [base, end) minus every range in skip[] (rounded out to whole frames). */
static int frame_add_except(struct frame_allocator *fa, uint64_t base, uint64_t end,
                            const struct mem_range *skip, unsigned nskip)
{
    while (base < end) {
        /* The lowest skipped range that overlaps what is left cuts it in two. */
        uint64_t cut = end;
        uint64_t resume = end;
        for (unsigned i = 0; i < nskip; i++) {
            uint64_t lo = skip[i].base & ~(FRAME_SIZE - 1);
            uint64_t hi = (skip[i].base + skip[i].size + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
            if (skip[i].size == 0 || hi <= base || lo >= end) {
                continue;
            }
            lo = lo > base ? lo : base;
            if (lo < cut || (lo == cut && hi > resume)) {
                cut = lo;
                resume = hi;
            }
        }
        int err = frame_add_range(fa, base, cut);
        if (err < 0) {
            return err;
        }
        base = resume;
    }
    return 0;
}

int frame_init_from_boot_info(struct frame_allocator *fa, const struct boot_info *bi,
                              struct bump *early)
{
    struct mem_range skip[3 + BOOT_MAX_RESERVED];
    unsigned nskip = 0;
    uint64_t lo = UINT64_MAX;
    uint64_t hi = 0;

    for (unsigned i = 0; i < bi->ram_count; i++) {
        uint64_t r_end = bi->ram[i].base + bi->ram[i].size;
        lo = bi->ram[i].base < lo ? bi->ram[i].base : lo;
        hi = r_end > hi ? r_end : hi;
    }
    if (bi->ram_count == 0 || hi <= lo) {
        return E_INVAL;
    }
    int err = frame_init(fa, lo, hi, early);
    if (err < 0) {
        return err;
    }
    /* meta[] is now among what early has handed out, so skipping that skips meta[] too. */
    bump_retire(early);
    skip[nskip++] = bi->kernel;
    skip[nskip++] = bi->dtb;
    skip[nskip++] = (struct mem_range){early->start, bump_used(early)};
    for (unsigned i = 0; i < bi->reserved_count && i < BOOT_MAX_RESERVED; i++) {
        skip[nskip++] = bi->reserved[i];
    }
    for (unsigned i = 0; i < bi->ram_count; i++) {
        err = frame_add_except(fa, bi->ram[i].base, bi->ram[i].base + bi->ram[i].size, skip, nskip);
        if (err < 0) {
            return err;
        }
    }
    return 0;
}

/* Tags every frame of the block at pa with use. */
static void frame_tag(struct frame_allocator *fa, uint64_t pa, unsigned order, enum frame_use use)
{
    uint8_t *tag = &fa->use[(pa - fa->base) >> FRAME_SHIFT];

    for (uint64_t i = 0; i < 1ULL << order; i++) {
        tag[i] = (uint8_t)use;
    }
}

/*
 * The stash: single frames freed lately, kept out of the buddy lists (up
 * to FRAME_STASH_SIZE, when stash_on). A task that maps and unmaps a page
 * again and again would otherwise merge the freed frame with its free
 * buddies all the way up, and split the block all the way down for the
 * next map: that churn cost more than the rest of a map. The next single
 * frame comes from here, the most recently freed first. What is stashed
 * counts as free; a block the buddy lists cannot give back empties the
 * stash into them first.
 */
static bool frame_stash_put(struct frame_allocator *fa, uint64_t pa)
{
    if (!fa->stash_on || fa->stashed == FRAME_STASH_SIZE) {
        return false;
    }
    uint8_t *m = frame_meta(fa, pa);
    *m = (uint8_t)((*m & META_ZEROED) | META_FREE | META_USED);
    fa->stash[fa->stashed++] = pa;
    fa->free_frames++;
    return true;
}

/* The frame freed last, for use: zeroed by frame_free_order on its way in,
 * and never linked into a free list, so there is nothing to clear. */
static inline uint64_t frame_stash_take(struct frame_allocator *fa, enum frame_use use)
{
    uint64_t pa = fa->stash[--fa->stashed];
    uint8_t *m = frame_meta(fa, pa);

    KASSERT(*m & META_ZEROED);
    *m = META_USED;
    fa->free_frames--;
    frame_check_untouched(fa, pa);
    fa->use[(pa - fa->base) >> FRAME_SHIFT] = (uint8_t)use;
    return pa;
}

static void frame_stash_flush(struct frame_allocator *fa)
{
    while (fa->stashed > 0) {
        uint64_t pa = fa->stash[--fa->stashed];
        *frame_meta(fa, pa) &= META_ZEROED;
        fa->free_frames--;
        frame_release(fa, pa, 0);
    }
}

void frame_stash_enable(struct frame_allocator *fa, bool on)
{
    KLOCK_ASSERT_HELD();
    if (!on) {
        frame_stash_flush(fa);
    }
    fa->stash_on = on;
}

int frame_alloc_order(struct frame_allocator *fa, unsigned order, uint64_t *pa_out)
{
    uint64_t pa;

    KLOCK_ASSERT_HELD();
    if (order > FRAME_MAX_ORDER) {
        return E_INVAL;
    }
    if (failpoint_hit(FAILPOINT_FRAME)) {
        return E_NOMEM;
    }
    if (order == 0 && fa->stashed > 0) {
        *pa_out = frame_stash_take(fa, FRAME_USE_KERNEL);
        return 0;
    }
    unsigned k = order;
    while (k <= FRAME_MAX_ORDER && fa->free_head[k] == FRAME_NONE) {
        k++;
    }
    if (k > FRAME_MAX_ORDER && fa->stashed > 0) {
        frame_stash_flush(fa); /* perhaps the stashed frames merge into one big enough */
        for (k = order; k <= FRAME_MAX_ORDER && fa->free_head[k] == FRAME_NONE; k++) {
        }
    }
    if (k > FRAME_MAX_ORDER) {
        return E_NOMEM;
    }
    pa = fa->free_head[k];
    frame_list_remove(fa, pa, k);
    /* Split: keep the lower half, free the upper half, until the block is the size asked for. */
    while (k > order) {
        k--;
        frame_list_push(fa, pa + FRAME_ORDER_SIZE(k), k);
    }
    uint8_t *m = frame_meta(fa, pa);
    *m = (uint8_t)((*m & META_ZEROED) | META_USED | order);
    frame_prepare(fa, pa, order);
    frame_tag(fa, pa, order, FRAME_USE_KERNEL);
    *pa_out = pa;
    return 0;
}

static int frame_bad_free(uint64_t pa, unsigned order, const char *why)
{
    kprintf("frame: bad free of 0x%llx (order %u): %s\n", (unsigned long long)pa, order, why);
    return E_INVAL;
}

int frame_free_order(struct frame_allocator *fa, uint64_t pa, unsigned order)
{
    KLOCK_ASSERT_HELD();
    if (order > FRAME_MAX_ORDER) {
        return frame_bad_free(pa, order, "order too large");
    }
    if ((pa & (FRAME_ORDER_SIZE(order) - 1)) != 0) {
        return frame_bad_free(pa, order, "misaligned");
    }
    if (!frame_in_span(fa, pa) || !frame_in_span(fa, pa + FRAME_ORDER_SIZE(order) - 1)) {
        return frame_bad_free(pa, order, "outside the allocator");
    }
    uint8_t *m = frame_meta(fa, pa);
    if ((*m & (META_FREE | META_USED | META_ORDER)) != (META_USED | order)) {
        if (*m & META_NOT_RAM) {
            return frame_bad_free(pa, order, "not RAM the allocator manages");
        }
        if (frame_block_of(fa, pa) & META_FREE) {
            kprintf("frame: double free of 0x%llx (order %u)\n", (unsigned long long)pa, order);
            fa->double_frees++;
            return E_INVAL;
        }
        return frame_bad_free(pa, order, "not the start of an allocated block of this order");
    }
    *m &= META_ZEROED;
    frame_tag(fa, pa, order, FRAME_USE_FREE);
    /* Zeroed now, so that nothing of its last owner stays in free memory,
     * and the next owner gets it zeroed at no cost (frame_prepare). */
    for (uint64_t f = pa; f < pa + FRAME_ORDER_SIZE(order); f += FRAME_SIZE) {
        hal_zero_page(hal_phys_to_virt(f));
        *frame_meta(fa, f) |= META_ZEROED;
    }
    if (order > 0 || !frame_stash_put(fa, pa)) {
        frame_release(fa, pa, order);
    }
    return 0;
}

int frame_alloc(struct frame_allocator *fa, uint64_t *pa_out)
{
    return frame_alloc_for(fa, FRAME_USE_KERNEL, pa_out);
}

int frame_alloc_for(struct frame_allocator *fa, enum frame_use use, uint64_t *pa_out)
{
    /* The stash's frame, on the way that every page a task maps takes,
     * tagged once; with fault injection armed, frame_alloc_order's way,
     * which counts this point. */
    if (fa->stashed == 0 || failpoint_armed) {
        int err = frame_alloc_order(fa, 0, pa_out);
        if (err == 0) {
            fa->use[(*pa_out - fa->base) >> FRAME_SHIFT] = (uint8_t)use;
        }
        return err;
    }
    KLOCK_ASSERT_HELD();
    *pa_out = frame_stash_take(fa, use);
    return 0;
}

int frame_free(struct frame_allocator *fa, uint64_t pa)
{
    return frame_free_order(fa, pa, 0);
}

uint64_t frame_used_count(const struct frame_allocator *fa)
{
    return fa->managed_frames - fa->free_frames;
}

uint64_t frame_free_blocks(const struct frame_allocator *fa, unsigned order)
{
    return order <= FRAME_MAX_ORDER ? fa->free_blocks[order] : 0;
}

void frame_print_summary(const struct frame_allocator *fa)
{
    kprintf("frame: %llu free frames (%llu KiB), %llu used; free blocks by order:",
            (unsigned long long)fa->free_frames,
            (unsigned long long)(fa->free_frames * (FRAME_SIZE / 1024)),
            (unsigned long long)frame_used_count(fa));
    for (unsigned order = 0; order <= FRAME_MAX_ORDER; order++) {
        kprintf(" %llu", (unsigned long long)fa->free_blocks[order]);
    }
    kprintf("\n");
}

int frame_global_init(const struct boot_info *bi, struct bump *early)
{
    int err = frame_init_from_boot_info(&frame_kernel, bi, early);
    frame_kernel_ready = err == 0;
    if (frame_kernel_ready) {
        frame_stash_enable(&frame_kernel, true);
    }
    return err;
}

struct frame_allocator *frame_global(void)
{
    return frame_kernel_ready ? &frame_kernel : NULL;
}
