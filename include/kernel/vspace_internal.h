/*
 * Between kernel/vspace.c (the public calls, argument checks, ASIDs) and
 * kernel/vspace_tree.c (the recursive walks over the tables); not for other
 * users. Every walk takes a table, its level, and the range [va, last] of
 * virtual addresses (last inclusive, so a range may end at 2^64 - 1).
 */
#ifndef KERNEL_VSPACE_INTERNAL_H
#define KERNEL_VSPACE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/vspace.h"

/* A range can only cut into the blocks at its two ends. */
#define VSPACE_MAX_SPLITS 2

/* What a census found in a range. */
struct vspace_census {
    bool mapped;     /* some page of it is mapped */
    bool unmapped;   /* some page of it is not */
    bool device;     /* some mapped page is device memory */
    unsigned splits; /* blocks it covers only partly */
};

/* What vspace_tree_change() does to each mapped page. */
struct vspace_change {
    bool unmap;                        /* unmap, or else protect */
    unsigned perms;                    /* protect: the new permissions */
    uint64_t spare[VSPACE_MAX_SPLITS]; /* zeroed tables reserved for splits */
    unsigned spares;
};

/* How vspace_tree_map() fills leaves. */
struct vspace_leaf {
    unsigned perms;
    enum mmu_mem_type type;
    bool global;
};

/* Takes a zeroed table from vs->frames and counts it. Returns 0 or E_NOMEM. */
int vspace_table_alloc(struct vspace *vs, uint64_t *pa);

/* Gives a table back to vs->frames. Nothing may point to it any more. */
void vspace_table_free(struct vspace *vs, uint64_t pa);

/* Adds what [va, last] holds below the table at table_pa to *c. Changes nothing. */
void vspace_tree_census(uint64_t table_pa, unsigned level, uint64_t va, uint64_t last,
                        struct vspace_census *c);

/*
 * Maps [va, last], which must be unmapped, to pa onwards. Returns 0, or
 * E_NOMEM with *failed_va where it stopped: everything below is mapped, and
 * empty tables may sit on failed_va's path (unmapping [va, failed_va's page]
 * with vspace_tree_change() removes both).
 */
int vspace_tree_map(struct vspace *vs, uint64_t table_pa, unsigned level, uint64_t va,
                    uint64_t last, uint64_t pa, const struct vspace_leaf *leaf,
                    uint64_t *failed_va);

/*
 * Unmaps or protects every mapped page of [va, last], skipping holes, and
 * frees tables that an unmap empties. Splits the blocks the range covers
 * only partly with ch's spare tables, which the caller reserved.
 */
void vspace_tree_change(struct vspace *vs, uint64_t table_pa, unsigned level, uint64_t va,
                        uint64_t last, struct vspace_change *ch);

/* Reserves n zeroed spare tables in ch (at most VSPACE_MAX_SPLITS). 0 or E_NOMEM (none kept). */
int vspace_tree_reserve_spares(struct vspace *vs, struct vspace_change *ch, unsigned n);

/* Frees the spare tables ch still holds. */
void vspace_tree_release_spares(struct vspace *vs, struct vspace_change *ch);

/* Adds to *a what the table at table_pa (covering from va up) and those
 * below it break of the frame-tag rules (see vspace_audit). */
void vspace_tree_audit(const struct vspace *vs, uint64_t table_pa, unsigned level, uint64_t va,
                       struct vspace_audit *a);

/* Frees the table at table_pa and every table below it (not what they map). */
void vspace_tree_free(struct vspace *vs, uint64_t table_pa, unsigned level);

#endif
