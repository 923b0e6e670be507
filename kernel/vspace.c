/*
 * Address spaces over four levels of translation tables: the public half
 * (the contract is in include/kernel/vspace.h; the descriptor format in
 * arch/aarch64/mmu.c; the recursive walks over the tables in
 * kernel/vspace_tree.c).
 *
 * Failing without leaving anything behind. Each call first checks its
 * arguments, then takes a census of the range (is any of it mapped? all of
 * it? how many blocks must be split?), so every argument error is found
 * before anything changes. The only error left after that is running out
 * of frames:
 *   - unmap and protect reserve the frames their splits need up front (at
 *     most two: a range can only cut into the blocks at its two ends);
 *   - map allocates tables as it goes, and on E_NOMEM unmaps what it has
 *     mapped so far, which also frees every table that became empty.
 */
#include "kernel/vspace.h"

#include "hal/memory.h"
#include "hal/mmu.h"
#include "kernel/frame.h"
#include "kernel/klock.h"
#include "kernel/vspace_internal.h"
#include "lib/string.h"
#include "uapi/errors.h"

#define VS_PAGE_MASK (MMU_PAGE_SIZE - 1)
/* The physical addresses a descriptor can hold. */
#define VS_PA_END    (1ULL << 48)

static bool vs_in_half(const struct vspace *vs, uint64_t va)
{
    return vs->kind == VSPACE_USER ? va < MMU_USER_END : va >= MMU_KERNEL_BASE;
}

/* Checks [va, va + size) and stores its last byte in *last. */
static int vs_check_range(const struct vspace *vs, uint64_t va, uint64_t size, uint64_t *last)
{
    if (size == 0 || ((va | size) & VS_PAGE_MASK) != 0) {
        return E_INVAL;
    }
    *last = va + (size - 1);
    if (*last < va || !vs_in_half(vs, va) || !vs_in_half(vs, *last)) {
        return E_RANGE;
    }
    return 0;
}

/* The permission policy: what the hardware can say, W^X, and nothing user-visible in the kernel. */
static int vs_check_perms(const struct vspace *vs, unsigned perms, bool device)
{
    if (!hal_mmu_perms_supported(perms)) {
        return E_INVAL;
    }
    if ((perms & MMU_WRITE) && (perms & MMU_EXEC)) {
        return E_INVAL;
    }
    if ((perms & MMU_USER) && vs->kind == VSPACE_KERNEL) {
        return E_INVAL;
    }
    if (device && (perms & MMU_EXEC)) {
        return E_INVAL;
    }
    return 0;
}

/* A user mapping may only reach frames tagged as user memory (or memory the
 * allocator does not manage, such as a device's registers). */
static bool vs_user_may_map(const struct vspace *vs, uint64_t pa, uint64_t size)
{
    for (uint64_t off = 0; off < size; off += MMU_PAGE_SIZE) {
        enum frame_use use = frame_use_of(vs->frames, pa + off);
        if (use != FRAME_USE_USER && use != FRAME_USE_NOT_RAM) {
            return false;
        }
    }
    return true;
}

int vspace_init(struct vspace *vs, enum vspace_kind kind, struct frame_allocator *fa)
{
    KLOCK_ASSERT_HELD();
    memset(vs, 0, sizeof(*vs));
    vs->kind = kind;
    vs->frames = fa;
    vs->asid = MMU_ASID_GLOBAL;
    list_init(&vs->asid_link);
    if (vspace_table_alloc(vs, &vs->root) < 0) {
        return E_NOMEM;
    }
    if (kind == VSPACE_USER) {
        vspace_asid_assign(vs);
    }
    return 0;
}

void vspace_destroy(struct vspace *vs)
{
    KLOCK_ASSERT_HELD();
    /* Not installed anywhere, so only stale TLB entries could still name it: drop them. */
    if (vs->kind == VSPACE_USER) {
        vspace_asid_release(vs);
    } else {
        hal_tlb_invalidate_all();
    }
    vspace_tree_free(vs, vs->root, MMU_ROOT_LEVEL);
    vs->root = 0;
    memset(vs->leaves, 0, sizeof(vs->leaves));
}

int vspace_map(struct vspace *vs, uint64_t va, uint64_t pa, uint64_t size, unsigned perms,
               enum mmu_mem_type type)
{
    uint64_t last;
    int err = vs_check_range(vs, va, size, &last);

    KLOCK_ASSERT_HELD();
    if (err == 0 && (pa & VS_PAGE_MASK) != 0) {
        err = E_INVAL;
    }
    if (err == 0 && (pa >= VS_PA_END || size > VS_PA_END - pa)) {
        err = E_RANGE;
    }
    if (err == 0) {
        err = vs_check_perms(vs, perms, type == MMU_DEVICE);
    }
    if (err == 0 && (perms & MMU_USER) && !vs_user_may_map(vs, pa, size)) {
        err = E_PERM;
    }
    if (err < 0) {
        return err;
    }
    struct vspace_census c = {0};
    vspace_tree_census(vs->root, MMU_ROOT_LEVEL, va, last, &c);
    if (c.mapped) {
        return E_BUSY;
    }
    struct vspace_leaf leaf = {perms, type, vs->kind == VSPACE_KERNEL};
    uint64_t failed_va = 0;
    err = vspace_tree_map(vs, vs->root, MMU_ROOT_LEVEL, va, last, pa, &leaf, &failed_va);
    if (err < 0) {
        /* Undo: unmap [va, failed_va) and prune the empty tables on failed_va's path. */
        struct vspace_change undo = {.unmap = true};
        vspace_tree_change(vs, vs->root, MMU_ROOT_LEVEL, va, failed_va + VS_PAGE_MASK, &undo);
    }
    return err;
}

int vspace_map_page(struct vspace *vs, uint64_t va, uint64_t pa, unsigned perms)
{
    KLOCK_ASSERT_HELD();
    /* Anything but a plain user page, well placed, is vspace_map's to judge. */
    if (vs->kind != VSPACE_USER || ((va | pa) & VS_PAGE_MASK) != 0 || va >= MMU_USER_END ||
        pa >= VS_PA_END || !(perms & MMU_USER) || vs_check_perms(vs, perms, false) < 0 ||
        !vs_user_may_map(vs, pa, MMU_PAGE_SIZE)) {
        return vspace_map(vs, va, pa, MMU_PAGE_SIZE, perms, MMU_NORMAL);
    }
    /* Down levels 0, 1 and 2, spelled out; a table to make, or a block in
     * the way, is the general case's. */
    _Static_assert(MMU_ROOT_LEVEL == 0 && MMU_LEAF_LEVEL == 3, "three tables above a page");
    const uint64_t *l0 = hal_phys_to_virt(vs->root);
    uint64_t l1 = hal_mmu_next_table(0, l0[mmu_level_index(0, va)]);
    if (l1 == 0) {
        return vspace_map(vs, va, pa, MMU_PAGE_SIZE, perms, MMU_NORMAL);
    }
    uint64_t l2 =
        hal_mmu_next_table(1, ((const uint64_t *)hal_phys_to_virt(l1))[mmu_level_index(1, va)]);
    if (l2 == 0) {
        return vspace_map(vs, va, pa, MMU_PAGE_SIZE, perms, MMU_NORMAL);
    }
    uint64_t l3 =
        hal_mmu_next_table(2, ((const uint64_t *)hal_phys_to_virt(l2))[mmu_level_index(2, va)]);
    if (l3 == 0) {
        return vspace_map(vs, va, pa, MMU_PAGE_SIZE, perms, MMU_NORMAL);
    }
    uint64_t *entry = &((uint64_t *)hal_phys_to_virt(l3))[mmu_level_index(MMU_LEAF_LEVEL, va)];
    if (*entry != 0) {
        return E_BUSY;
    }
    hal_mmu_entry_set(entry, hal_mmu_leaf_desc(MMU_LEAF_LEVEL, pa, perms, MMU_NORMAL, false));
    vs->leaves[MMU_LEAF_LEVEL]++;
    return 0;
}

/* The common part of unmap and protect: census, reserve, change. */
static int vs_change_checked(struct vspace *vs, uint64_t va, uint64_t size,
                             struct vspace_change *ch)
{
    uint64_t last;
    int err = vs_check_range(vs, va, size, &last);

    KLOCK_ASSERT_HELD();
    if (err < 0) {
        return err;
    }
    struct vspace_census c = {0};
    vspace_tree_census(vs->root, MMU_ROOT_LEVEL, va, last, &c);
    if (c.unmapped) {
        return E_NOENT;
    }
    if (!ch->unmap && (err = vs_check_perms(vs, ch->perms, c.device)) < 0) {
        return err;
    }
    if ((err = vspace_tree_reserve_spares(vs, ch, c.splits)) < 0) {
        return err;
    }
    vspace_tree_change(vs, vs->root, MMU_ROOT_LEVEL, va, last, ch);
    vspace_tree_release_spares(vs, ch); /* none left, unless the census overcounted */
    return 0;
}

int vspace_unmap(struct vspace *vs, uint64_t va, uint64_t size)
{
    struct vspace_change ch = {.unmap = true};
    return vs_change_checked(vs, va, size, &ch);
}

int vspace_protect(struct vspace *vs, uint64_t va, uint64_t size, unsigned perms)
{
    struct vspace_change ch = {.unmap = false, .perms = perms};
    return vs_change_checked(vs, va, size, &ch);
}

int vspace_walk(const struct vspace *vs, uint64_t va, struct vspace_walk *w)
{
    uint64_t table = vs->root;

    KLOCK_ASSERT_HELD();
    if (!vs_in_half(vs, va)) {
        return E_RANGE;
    }
    w->steps = 0;
    for (unsigned level = MMU_ROOT_LEVEL; level <= MMU_LEAF_LEVEL; level++) {
        struct vspace_walk_step *s = &w->step[w->steps++];
        s->level = level;
        s->index = mmu_level_index(level, va);
        s->table = table;
        s->desc = ((const uint64_t *)hal_phys_to_virt(table))[s->index];
        hal_mmu_decode(level, s->desc, &s->decoded);
        if (s->decoded.kind != MMU_DESC_TABLE) {
            break;
        }
        table = s->decoded.addr;
    }
    return 0;
}

int vspace_translate(const struct vspace *vs, uint64_t va, uint64_t *pa, unsigned *perms)
{
    struct vspace_walk w;
    int err = vspace_walk(vs, va, &w);

    if (err < 0) {
        return err;
    }
    const struct vspace_walk_step *s = &w.step[w.steps - 1];
    if (s->decoded.kind == MMU_DESC_INVALID) {
        return E_NOENT;
    }
    if (pa) {
        *pa = s->decoded.addr + (va & (mmu_level_size(s->level) - 1));
    }
    if (perms) {
        *perms = s->decoded.perms;
    }
    return 0;
}

void vspace_deactivate(void)
{
    hal_mmu_remove_user_root();
}

void vspace_audit(const struct vspace *vs, struct vspace_audit *a)
{
    KLOCK_ASSERT_HELD();
    memset(a, 0, sizeof(*a));
    vspace_tree_audit(vs, vs->root, MMU_ROOT_LEVEL, vs->kind == VSPACE_USER ? 0 : MMU_KERNEL_BASE,
                      a);
}
