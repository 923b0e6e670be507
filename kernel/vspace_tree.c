/*
 * The recursive half of kernel/vspace.c: the functions that walk a range of
 * virtual addresses down the four levels of tables and census, map, change
 * or free what they find. vspace.c checks the arguments and calls them.
 *
 * Each one cuts the range [va, last] at the entry boundaries of the table
 * at hand into chunks, one per entry it touches:
 *
 *     level 2 entries:  |   2 MiB   |   2 MiB   |   2 MiB   |
 *     range:                  [=========================]
 *     chunks:                 [ part ][   whole   ][part]
 *
 * A chunk that covers its whole entry can be one leaf there (a 2 MiB block
 * at level 2, if the physical address is aligned too); a partial chunk goes
 * one level down, into a table, and the function calls itself.
 *
 * Invariant: a table other than the root is never empty; it is freed the
 * moment its last entry goes. Blocks exist only at MMU_BLOCK_LEVEL, so
 * splitting one yields pages and never another block to split.
 */
#include "kernel/vspace_internal.h"

#include "hal/memory.h"
#include "hal/mmu.h"
#include "kernel/frame.h"
#include "kernel/panic.h"
#include "lib/string.h"
#include "uapi/errors.h"

_Static_assert(MMU_BLOCK_LEVEL + 1 == MMU_LEAF_LEVEL, "a split block must become pages");

static uint64_t *vs_table(uint64_t pa)
{
    return hal_phys_to_virt(pa);
}

int vspace_table_alloc(struct vspace *vs, uint64_t *pa)
{
    /* Zero-filled (include/kernel/frame.h), and all-zero descriptors are invalid. */
    if (frame_alloc_for(vs->frames, FRAME_USE_TABLE, pa) < 0) {
        return E_NOMEM;
    }
    vs->tables++;
    return 0;
}

void vspace_table_free(struct vspace *vs, uint64_t pa)
{
    frame_free(vs->frames, pa);
    vs->tables--;
}

static bool vs_table_empty(uint64_t pa)
{
    const uint64_t *table = vs_table(pa);

    for (unsigned i = 0; i < MMU_TABLE_ENTRIES; i++) {
        if (table[i] != 0) {
            return false;
        }
    }
    return true;
}

/* The last address of the chunk of [va, last] that va's entry at level covers. */
static uint64_t vs_chunk_last(unsigned level, uint64_t va, uint64_t last)
{
    uint64_t entry_last = va | (mmu_level_size(level) - 1);
    return entry_last < last ? entry_last : last;
}

/* Does the chunk [va, chunk_last] cover its whole entry at level? */
static bool vs_chunk_whole(unsigned level, uint64_t va, uint64_t chunk_last)
{
    uint64_t span = mmu_level_size(level);
    return (va & (span - 1)) == 0 && chunk_last - va == span - 1;
}

void vspace_tree_census(uint64_t table_pa, unsigned level, uint64_t va, uint64_t last,
                        struct vspace_census *c)
{
    const uint64_t *table = vs_table(table_pa);

    for (;;) {
        uint64_t chunk_last = vs_chunk_last(level, va, last);
        struct mmu_desc d;

        hal_mmu_decode(level, table[mmu_level_index(level, va)], &d);
        if (d.kind == MMU_DESC_INVALID) {
            c->unmapped = true;
        } else if (d.kind == MMU_DESC_TABLE) {
            vspace_tree_census(d.addr, level + 1, va, chunk_last, c);
        } else {
            c->mapped = true;
            c->device |= d.type == MMU_DEVICE;
            c->splits += vs_chunk_whole(level, va, chunk_last) ? 0 : 1;
        }
        if (chunk_last == last) {
            return;
        }
        va = chunk_last + 1;
    }
}

/* Can the chunk [va, chunk_last] mapping pa be a single leaf at this level? */
static bool vs_leaf_fits(unsigned level, uint64_t va, uint64_t chunk_last, uint64_t pa)
{
    if (level == MMU_LEAF_LEVEL) {
        return true;
    }
    return level == MMU_BLOCK_LEVEL && vs_chunk_whole(level, va, chunk_last) &&
           (pa & (mmu_level_size(level) - 1)) == 0;
}

int vspace_tree_map(struct vspace *vs, uint64_t table_pa, unsigned level, uint64_t va,
                    uint64_t last, uint64_t pa, const struct vspace_leaf *leaf, uint64_t *failed_va)
{
    uint64_t *table = vs_table(table_pa);

    for (;;) {
        uint64_t chunk_last = vs_chunk_last(level, va, last);
        uint64_t *entry = &table[mmu_level_index(level, va)];

        if (*entry == 0 && vs_leaf_fits(level, va, chunk_last, pa)) {
            hal_mmu_entry_set(entry,
                              hal_mmu_leaf_desc(level, pa, leaf->perms, leaf->type, leaf->global));
            vs->leaves[level]++;
        } else {
            uint64_t next;
            if (*entry == 0) {
                if (vspace_table_alloc(vs, &next) < 0) {
                    *failed_va = va;
                    return E_NOMEM;
                }
                hal_mmu_entry_set(entry, hal_mmu_table_desc(next));
            } else {
                struct mmu_desc d;
                hal_mmu_decode(level, *entry, &d);
                next = d.addr; /* the census saw no leaf here, so it is a table */
            }
            int err = vspace_tree_map(vs, next, level + 1, va, chunk_last, pa, leaf, failed_va);
            if (err < 0) {
                return err;
            }
        }
        if (chunk_last == last) {
            return 0;
        }
        pa += chunk_last + 1 - va;
        va = chunk_last + 1;
    }
}

/* Replaces the block at *entry (covering va) by a table of pages with the same attributes. */
static void vs_split_block(struct vspace *vs, uint64_t *entry, unsigned level, uint64_t va,
                           struct vspace_change *ch)
{
    struct mmu_desc d;

    if (ch->spares == 0) {
        panic("vspace: split without a reserved table");
    }
    hal_mmu_decode(level, *entry, &d);
    uint64_t table_pa = ch->spare[--ch->spares];
    uint64_t *table = vs_table(table_pa);
    uint64_t step = mmu_level_size(level + 1);
    for (unsigned i = 0; i < MMU_TABLE_ENTRIES; i++) {
        table[i] = hal_mmu_leaf_desc(level + 1, d.addr + i * step, d.perms, d.type, d.global);
    }
    /* The block size changes: the architecture requires break-before-make here. */
    hal_mmu_entry_replace(entry, hal_mmu_table_desc(table_pa), va, vs->asid);
    vs->leaves[level]--;
    vs->leaves[level + 1] += MMU_TABLE_ENTRIES;
}

void vspace_tree_change(struct vspace *vs, uint64_t table_pa, unsigned level, uint64_t va,
                        uint64_t last, struct vspace_change *ch)
{
    uint64_t *table = vs_table(table_pa);

    for (;;) {
        uint64_t chunk_last = vs_chunk_last(level, va, last);
        uint64_t *entry = &table[mmu_level_index(level, va)];
        struct mmu_desc d;

        hal_mmu_decode(level, *entry, &d);
        if (d.kind == MMU_DESC_BLOCK && !vs_chunk_whole(level, va, chunk_last)) {
            vs_split_block(vs, entry, level, va, ch);
            hal_mmu_decode(level, *entry, &d);
        }
        if (d.kind == MMU_DESC_TABLE) {
            vspace_tree_change(vs, d.addr, level + 1, va, chunk_last, ch);
            if (ch->unmap && vs_table_empty(d.addr)) {
                hal_mmu_entry_clear(entry, va, vs->asid); /* also drops cached walks through it */
                vspace_table_free(vs, d.addr);
            }
        } else if (d.kind != MMU_DESC_INVALID && ch->unmap) {
            hal_mmu_entry_clear(entry, va, vs->asid);
            vs->leaves[level]--;
        } else if (d.kind != MMU_DESC_INVALID && d.perms != ch->perms) {
            hal_mmu_entry_replace(
                entry, hal_mmu_leaf_desc(level, d.addr, ch->perms, d.type, d.global), va, vs->asid);
        }
        if (chunk_last == last) {
            return;
        }
        va = chunk_last + 1;
    }
}

void vspace_tree_release_spares(struct vspace *vs, struct vspace_change *ch)
{
    while (ch->spares > 0) {
        vspace_table_free(vs, ch->spare[--ch->spares]);
    }
}

int vspace_tree_reserve_spares(struct vspace *vs, struct vspace_change *ch, unsigned n)
{
    if (n > VSPACE_MAX_SPLITS) {
        panic("vspace: a range cannot cut into %u blocks", n);
    }
    ch->spares = 0;
    while (ch->spares < n) {
        if (vspace_table_alloc(vs, &ch->spare[ch->spares]) < 0) {
            vspace_tree_release_spares(vs, ch);
            return E_NOMEM;
        }
        ch->spares++;
    }
    return 0;
}

void vspace_tree_free(struct vspace *vs, uint64_t table_pa, unsigned level)
{
    if (level < MMU_LEAF_LEVEL) {
        const uint64_t *table = vs_table(table_pa);
        for (unsigned i = 0; i < MMU_TABLE_ENTRIES; i++) {
            struct mmu_desc d;
            hal_mmu_decode(level, table[i], &d);
            if (d.kind == MMU_DESC_TABLE) {
                vspace_tree_free(vs, d.addr, level + 1);
            }
        }
    }
    vspace_table_free(vs, table_pa);
}

/* Checks one table and everything below it against the frame tags. */
void vspace_tree_audit(const struct vspace *vs, uint64_t table_pa, unsigned level, uint64_t va,
                       struct vspace_audit *a)
{
    const uint64_t *table = vs_table(table_pa);

    a->tables++;
    if (frame_use_of(vs->frames, table_pa) != FRAME_USE_TABLE && a->errors++ == 0) {
        a->first_va = va;
        a->first_pa = table_pa;
    }
    for (unsigned i = 0; i < MMU_TABLE_ENTRIES; i++) {
        uint64_t entry_va = va + i * mmu_level_size(level);
        struct mmu_desc d;

        if (table[i] == 0) {
            continue; /* most entries: nothing to decode */
        }
        hal_mmu_decode(level, table[i], &d);
        if (d.kind == MMU_DESC_TABLE) {
            vspace_tree_audit(vs, d.addr, level + 1, entry_va, a);
        } else if (d.kind != MMU_DESC_INVALID && (d.perms & MMU_USER)) {
            for (uint64_t off = 0; off < mmu_level_size(level); off += MMU_PAGE_SIZE) {
                enum frame_use use = frame_use_of(vs->frames, d.addr + off);
                a->user_pages++;
                if (use != FRAME_USE_USER && use != FRAME_USE_NOT_RAM && a->errors++ == 0) {
                    a->first_va = entry_va + off;
                    a->first_pa = d.addr + off;
                }
            }
        }
    }
}
