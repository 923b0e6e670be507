/*
 * Address spaces: portable map / unmap / protect / translate over the page
 * tables that include/hal/mmu.h describes (arch/aarch64/mmu.c is the other
 * half of this pair).
 *
 * A vspace is a root table, an ASID and the frame allocator its tables come
 * from. Two kinds:
 *   - VSPACE_KERNEL: the upper half, [MMU_KERNEL_BASE, 2^64), global
 *     mappings (no ASID). The kernel has one (kernel/kernel_vspace.c).
 *   - VSPACE_USER: the lower half, [0, MMU_USER_END), tagged with an ASID of
 *     its own; installed in TTBR0 with vspace_activate().
 *
 * Tables appear on demand (zeroed frames) and are freed as soon as they map
 * nothing, so an address space costs only the tables its mappings need.
 * A range is mapped with 2 MiB blocks wherever its virtual address, physical
 * address and length allow, and with 4 KiB pages elsewhere; unmapping or
 * protecting part of a block first splits it into pages.
 *
 * Ownership: a vspace owns its tables and nothing else. The frames that
 * mappings point to belong to whoever mapped them, who frees them after
 * unmapping (or after vspace_destroy).
 *
 * Every change to a live entry is made break-before-make, with a TLB
 * invalidation of that address in this vspace's ASID (hal_mmu_entry_*), so
 * callers never do TLB maintenance themselves.
 *
 * Errors (include/uapi/errors.h), and what an error leaves behind: nothing.
 * A call that fails has changed no mapping and holds no extra frame.
 *   E_INVAL  size 0, an address or size not page-aligned, or permissions the
 *            vspace refuses: no MMU_READ, MMU_WRITE with MMU_EXEC (W^X),
 *            MMU_EXEC on device memory, MMU_USER in the kernel vspace
 *   E_RANGE  the range leaves this vspace's half (non-canonical or the other
 *            half) or wraps around
 *   E_BUSY   vspace_map: some page of the range is already mapped
 *   E_NOENT  unmap / protect: some page of the range is not mapped;
 *            translate: the address is not mapped
 *   E_NOMEM  no frame for a table (or, for vspace_init, for the root or
 *            no free ASID)
 *   E_PERM   vspace_map: a user mapping (MMU_USER) of a RAM frame that is not
 *            tagged as user memory (include/kernel/frame.h): page tables,
 *            kernel stacks and other kernel data never reach user mode
 *
 * Tables are tagged FRAME_USE_TABLE in the frame allocator; vspace_audit
 * checks a whole vspace against the tags.
 *
 * Every call needs the kernel lock (include/kernel/klock.h).
 */
#ifndef KERNEL_VSPACE_H
#define KERNEL_VSPACE_H

#include <stdbool.h>
#include <stdint.h>

#include "hal/mmu.h"
#include "lib/list.h"
#include "uapi/errors.h"

struct frame_allocator;

enum vspace_kind {
    VSPACE_KERNEL,
    VSPACE_USER,
};

struct vspace {
    uint64_t root;           /* physical address of the level-0 table */
    uint32_t asid;           /* MMU_ASID_GLOBAL for the kernel kind */
    uint64_t installed_root; /* root and ASID as a switch installs them; 0: kernel kind,
                                or a user vspace whose ASID a rollover took back */
    enum vspace_kind kind;
    struct frame_allocator *frames; /* where its tables come from and go back to */
    uint64_t tables;                /* tables it holds now, the root included */
    uint64_t leaves[MMU_LEVELS];    /* valid blocks (levels 1-2) and pages (level 3) */
    uint64_t asid_generation;       /* the ASID generation asid belongs to */
    struct list_node asid_link;     /* in the list of user vspaces (kernel/vspace_asid.c) */
};

/*
 * Sets up an empty vspace of kind whose tables come from fa: allocates and
 * zeroes the root table and, for a user vspace, gives it an ASID. Returns 0
 * or E_NOMEM (no frame).
 */
int vspace_init(struct vspace *vs, enum vspace_kind kind, struct frame_allocator *fa);

/*
 * Frees every table of vs, the root included, and its ASID; the TLB forgets
 * it. Frames that mappings pointed to are not freed (their owners do that).
 * vs must not be installed on any CPU, and is unusable afterwards.
 */
void vspace_destroy(struct vspace *vs);

/*
 * Maps [va, va + size) to [pa, pa + size) with perms (MMU_READ | ...) and
 * memory type. va, pa and size must be page-aligned, size non-zero. Uses
 * 2 MiB blocks where va, pa and the remaining length allow. See the top of
 * this file for the errors; on any error nothing is mapped.
 */
int vspace_map(struct vspace *vs, uint64_t va, uint64_t pa, uint64_t size, unsigned perms,
               enum mmu_mem_type type);

/*
 * vspace_map of one page of normal memory, made for the common case of
 * user memory: one walk down tables that are already there. Anything else
 * (no table yet, a kernel vspace) goes the general way, with the same
 * results.
 */
int vspace_map_page(struct vspace *vs, uint64_t va, uint64_t pa, unsigned perms);

/*
 * Unmaps [va, va + size), every page of which must be mapped (else E_NOENT
 * and nothing changes). Splits a block that the range covers only partly
 * (E_NOMEM if there is no frame for that). Frees tables left empty.
 */
int vspace_unmap(struct vspace *vs, uint64_t va, uint64_t size);

/*
 * Gives every page of [va, va + size), which must all be mapped, the
 * permissions perms; memory type and physical addresses stay. Splits blocks
 * the range covers only partly. Errors as vspace_unmap, plus E_INVAL for
 * perms the vspace refuses.
 */
int vspace_protect(struct vspace *vs, uint64_t va, uint64_t size, unsigned perms);

/*
 * Looks va up: stores the physical address it maps to in *pa and its
 * permissions in *perms (either pointer may be NULL). Returns 0, E_NOENT if
 * va is not mapped, or E_RANGE if va is outside this vspace's half.
 */
int vspace_translate(const struct vspace *vs, uint64_t va, uint64_t *pa, unsigned *perms);

/* One level of a walk: the entry the walker read and what it says. */
struct vspace_walk_step {
    unsigned level;
    unsigned index; /* which entry of the table */
    uint64_t table; /* physical address of the table it is in */
    uint64_t desc;  /* the raw descriptor */
    struct mmu_desc decoded;
};

struct vspace_walk {
    unsigned steps; /* 1 to MMU_LEVELS: the walk stops at a leaf or an invalid entry */
    struct vspace_walk_step step[MMU_LEVELS];
};

/*
 * Walks the tables for va as the MMU would and records every level in *w.
 * Returns 0 (also when va is unmapped: the last step is then invalid) or
 * E_RANGE.
 */
int vspace_walk(const struct vspace *vs, uint64_t va, struct vspace_walk *w);

/* What vspace_audit found. */
struct vspace_audit {
    uint64_t tables;     /* tables walked, the root included */
    uint64_t user_pages; /* 4 KiB pages user mode can reach */
    uint64_t errors;     /* a table not tagged as one, or a user page that is not user memory */
    uint64_t first_va;   /* where the first error is: the virtual address it covers, */
    uint64_t first_pa;   /* and the frame */
};

/*
 * Walks every table of vs and checks the frame tags: each table must be
 * tagged FRAME_USE_TABLE, and each page user mode can reach must be
 * FRAME_USE_USER (or outside RAM). A frame freed while still mapped shows
 * up here too (its tag is FRAME_USE_FREE). Fills *a; changes nothing.
 */
void vspace_audit(const struct vspace *vs, struct vspace_audit *a);

/*
 * ASIDs (kernel/vspace_asid.c). A user vspace gets one when it is made; when
 * a generation's ASIDs are all taken, the next one starts (a rollover): the
 * whole TLB is invalidated, the installed vspace keeps its ASID, and every
 * other vspace gives its ASID back and takes a new one when it is next
 * installed (its installed_root is 0 until then, which sends
 * vspace_activate to vspace_activate_slow). So any number of address spaces
 * can live, whatever the width of the CPU's ASIDs.
 */
struct vspace_asid_info {
    unsigned bits;       /* ASIDs 1 to 2^bits - 1 go to user vspaces */
    unsigned cpu_bits;   /* what the CPU has (hal_mmu_asid_bits) */
    uint64_t generation; /* the current one; 1 at boot */
    uint64_t rollovers;  /* generations ended for want of an ASID */
    uint64_t in_use;     /* ASIDs of the current generation held */
};

/*
 * Uses bits-wide ASIDs from now on (0: as wide as the CPU's; never wider;
 * at least 2, so that a rollover leaves one for the installed vspace and
 * one for the next), and starts a new generation. The asid_bits= command
 * line option comes here, to make rollovers frequent.
 */
void vspace_asid_configure(unsigned bits);
void vspace_asid_info(struct vspace_asid_info *out);

/* Gives vs a new ASID of the current generation, rolling over if none is
 * free. vs must not be installed. For vspace.c and vspace_activate_slow. */
void vspace_asid_assign(struct vspace *vs);
/* vs gives its ASID back (if it is still of this generation, after
 * invalidating its TLB entries) and leaves the list of user vspaces. */
void vspace_asid_release(struct vspace *vs);

/* vspace_activate's way for a vspace with installed_root 0: E_INVAL for
 * the kernel kind; a user vspace that lost its ASID to a rollover gets a
 * new one and is installed. */
int vspace_activate_slow(struct vspace *vs);

/*
 * Installs a user vspace as the lower half of this CPU, with its ASID.
 * Returns 0, or E_INVAL for a kernel vspace. Inline: every switch between
 * tasks comes here, and it is one register write and a test; the test
 * also catches a vspace whose ASID a rollover took back.
 * vspace_try_activate is its inline half alone: false, with nothing
 * installed, where vspace_activate would go the slow way.
 */
static inline bool vspace_try_activate(const struct vspace *vs)
{
    if (__builtin_expect(vs->installed_root == 0, 0)) {
        return false;
    }
    hal_mmu_install_user_root(vs->installed_root);
    return true;
}

static inline int vspace_activate(struct vspace *vs)
{
    return vspace_try_activate(vs) ? 0 : vspace_activate_slow(vs);
}

/* Leaves no user vspace installed on this CPU. */
void vspace_deactivate(void);

#endif
