/*
 * The MMU as the portable core sees it: translation-table geometry,
 * descriptors built from portable permissions and memory types, the
 * break-before-make way of changing a live entry, TLB invalidation, and
 * installing a table root. kernel/vspace.c builds address spaces on top of
 * this; the AArch64 side lives in arch/aarch64/mmu.c (descriptor format,
 * plain C, also linked into the host tests) and arch/aarch64/tlb.c (the
 * instructions). The host tests replace tlb.c with tests/host/fake_tlb.c,
 * which records every call.
 *
 * Tables are reached through the linear map (hal_phys_to_virt). A table is
 * one page of MMU_TABLE_ENTRIES 64-bit descriptors, and the all-zero
 * descriptor is always invalid, so a zeroed page is an empty table.
 *
 * None of this is thread-safe: callers serialise changes to one address
 * space (today: one CPU with interrupts masked where it matters).
 */
#ifndef HAL_MMU_H
#define HAL_MMU_H

/*
 * The two halves of the address space, 48 bits each: user addresses
 * [0, MMU_USER_END), translated through TTBR0 on AArch64, and kernel
 * addresses [MMU_KERNEL_BASE, 2^64), through TTBR1. Plain numbers, because
 * assembly reads them too (the exception vectors, through
 * include/kernel/kstack.h); the rest of this file is C.
 */
#define MMU_USER_END    0x0001000000000000
#define MMU_KERNEL_BASE 0xffff000000000000

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct boot_info;
struct mem_range;

/* --- geometry: 4 KiB pages, 48-bit virtual addresses, levels 0 to 3 --- */

#define MMU_PAGE_SHIFT    12
#define MMU_PAGE_SIZE     (1ULL << MMU_PAGE_SHIFT)
#define MMU_TABLE_ENTRIES 512
#define MMU_LEVELS        4
#define MMU_ROOT_LEVEL    0
#define MMU_LEAF_LEVEL    3
/* The one level whose entries the core maps as blocks (2 MiB each). */
#define MMU_BLOCK_LEVEL   2

/* The lowest virtual-address bit a level's index uses: 39, 30, 21, 12. */
static inline unsigned mmu_level_shift(unsigned level)
{
    return MMU_PAGE_SHIFT + 9 * (MMU_LEAF_LEVEL - level);
}

/* The bytes one entry of a table at this level covers: 512 GiB, 1 GiB, 2 MiB, 4 KiB. */
static inline uint64_t mmu_level_size(unsigned level)
{
    return 1ULL << mmu_level_shift(level);
}

/* Which entry of a table at this level translates va. */
static inline unsigned mmu_level_index(unsigned level, uint64_t va)
{
    return (unsigned)(va >> mmu_level_shift(level)) & (MMU_TABLE_ENTRIES - 1);
}

/* --- descriptors --- */

/* Portable permissions. Every mapping is readable; MMU_USER lets user mode in. */
#define MMU_READ      1u
#define MMU_WRITE     2u
#define MMU_EXEC      4u
#define MMU_USER      8u
#define MMU_PERMS_ALL (MMU_READ | MMU_WRITE | MMU_EXEC | MMU_USER)

enum mmu_mem_type {
    MMU_NORMAL, /* RAM: cacheable, may be reordered and merged */
    MMU_DEVICE, /* MMIO: uncached, accesses reach the device in order */
};

enum mmu_desc_kind {
    MMU_DESC_INVALID, /* translates nothing: an access faults */
    MMU_DESC_TABLE,   /* points to a table one level down */
    MMU_DESC_BLOCK,   /* maps a whole mmu_level_size() range (levels 1 and 2) */
    MMU_DESC_PAGE,    /* maps one page (level 3) */
};

/* A descriptor, decoded into portable terms. */
struct mmu_desc {
    enum mmu_desc_kind kind;
    uint64_t addr;          /* TABLE: the next table; BLOCK, PAGE: the output address */
    unsigned perms;         /* BLOCK, PAGE: MMU_READ | ... */
    enum mmu_mem_type type; /* BLOCK, PAGE */
    bool global;            /* BLOCK, PAGE: valid in every ASID (kernel mappings) */
};

/* A table descriptor pointing at the table at table_pa (page-aligned). */
uint64_t hal_mmu_table_desc(uint64_t table_pa);

/* Decodes desc, read from a table at level, into *out. */
void hal_mmu_decode(unsigned level, uint64_t desc, struct mmu_desc *out);

/*
 * Writes a one-line description of desc's fields in the architecture's own
 * terms (on AArch64: type, output address, AttrIndx, AP, SH, AF, nG, PXN,
 * UXN) into buf, always NUL-terminated. For demos and reports.
 */
void hal_mmu_format_desc(unsigned level, uint64_t desc, char *buf, size_t size);

/* --- changing tables that the MMU may be walking --- */

/*
 * Invalidates a valid entry and removes every TLB copy of it (leaf or
 * table) for the address va in address space asid (MMU_ASID_GLOBAL for
 * global entries), before returning. The caller may free what the entry
 * pointed to afterwards.
 */
void hal_mmu_entry_clear(uint64_t *entry, uint64_t va, uint32_t asid);

/*
 * Break-before-make: replaces a valid entry with desc, going through an
 * invalid entry and a TLB invalidation of va in between, as the
 * architecture requires when the output address, the block size or the
 * memory type changes (and which is always safe). Between the two steps an
 * access to va faults, so the caller must not be using va itself: not its
 * code, not its stack.
 */
void hal_mmu_entry_replace(uint64_t *entry, uint64_t desc, uint64_t va, uint32_t asid);

/* --- the TLB --- */

/* The "ASID" of the kernel's global mappings: invalidations then hit every ASID. */
#define MMU_ASID_GLOBAL   0xffffffffu
/* The ASID the lower half runs with when no user address space is installed. */
#define MMU_ASID_RESERVED 0u
/* The widest ASID any CPU has (AArch64: 16 bits; some CPUs have only 8). */
#define MMU_ASID_MAX_BITS 16u

/* How many bits of ASID this CPU has: the kernel hands out ASIDs 1 to
 * 2^bits - 1 (kernel/vspace_asid.c). */
unsigned hal_mmu_asid_bits(void);

/* Makes table writes so far visible to the table walker (dsb ishst; isb on
 * AArch64). Inline on the machine (arch/hal_mmu.h). */
#ifdef HOST_BUILD
void hal_mmu_sync_tables(void);
#endif

/* Removes the TLB entries for va in address space asid (or, for MMU_ASID_GLOBAL, in all). */
void hal_tlb_invalidate_va(uint64_t va, uint32_t asid);

/* Removes every TLB entry tagged with asid (before the ASID is given out again). */
void hal_tlb_invalidate_asid(uint32_t asid);

/* Removes every TLB entry for this translation regime. */
void hal_tlb_invalidate_all(void);

enum mmu_tlb_op_kind {
    MMU_TLB_OP_VA,
    MMU_TLB_OP_ASID,
    MMU_TLB_OP_ALL,
};

struct mmu_tlb_op {
    enum mmu_tlb_op_kind kind;
    uint64_t va;   /* MMU_TLB_OP_VA */
    uint32_t asid; /* MMU_TLB_OP_VA, MMU_TLB_OP_ASID */
};

#define MMU_TLB_LOG_SIZE 32

/*
 * What the TLB code has done since boot: a count per kind of invalidation
 * and the last MMU_TLB_LOG_SIZE operations, in a ring indexed by total.
 * Cheap enough to keep on always; tests use it to check that maintenance
 * happened. Updates are not atomic: on several CPUs a count may lose a step.
 */
struct mmu_tlb_stats {
    uint64_t count[3]; /* indexed by enum mmu_tlb_op_kind */
    uint64_t total;    /* operations ever logged: the log holds the last min(total, SIZE) */
    struct mmu_tlb_op log[MMU_TLB_LOG_SIZE];
};

/* Copies the statistics into *out. */
void hal_tlb_stats(struct mmu_tlb_stats *out);

/* --- roots --- */

/*
 * A user address space's root table and ASID, packed once, when the space
 * is made, into the one value a switch installs (TTBR0_EL1's on AArch64).
 */
uint64_t hal_mmu_user_root(uint64_t root_pa, uint32_t asid);

/*
 * Makes root (from hal_mmu_user_root) the lower-half (user) address space
 * and turns lower-half walks on. Replaces whatever user space was
 * installed. The tables must stay alive until hal_mmu_remove_user_root or
 * another install. Inline on the machine (arch/hal_mmu.h): every switch
 * between tasks makes it.
 */
#ifdef HOST_BUILD
void hal_mmu_install_user_root(uint64_t root);
#else
#include "arch/hal_mmu.h"
#endif

/*
 * Leaves no user address space installed: lower-half walks off, and the
 * reserved ASID, so no TLB entry of the previous one can still hit.
 */
void hal_mmu_remove_user_root(void);

/* The root value (from hal_mmu_user_root) installed now, or 0 when no user
 * address space is: what an ASID rollover must leave valid. */
uint64_t hal_mmu_installed_user_root(void);

/*
 * Hands the upper half from the boot-time tables to the kernel's own tables
 * at root_pa, once, at boot: the switch goes through the boot identity map,
 * which it then turns off for good. Later calls panic.
 */
void hal_mmu_install_kernel_root(uint64_t root_pa);

/* --- what the kernel address space must contain --- */

/* A part of the kernel image: [start, end) virtual, page-aligned, with its permissions. */
struct mmu_section {
    const char *name;
    uint64_t start;
    uint64_t end;
    unsigned perms;
};

/*
 * Stores the kernel image's sections (text, rodata, data+bss), in address
 * order, in out (room for max) and returns how many there are. Their
 * physical addresses are hal_virt_to_phys(start).
 */
unsigned hal_mmu_kernel_sections(struct mmu_section *out, unsigned max);

/*
 * Stores the physical MMIO windows the kernel itself touches (its console
 * UART, the interrupt controller), page-aligned, in out (room for max), and
 * returns how many. Device memory for user-mode drivers is not among them.
 */
unsigned hal_mmu_kernel_devices(const struct boot_info *bi, struct mem_range *out, unsigned max);

/*
 * What mapping a page asks of the descriptor format, inline
 * (arch/hal_mmu_desc.h, which the host tests build too):
 *   bool hal_mmu_perms_supported(unsigned perms): whether the hardware can
 *     express perms (a MMU_* mask) at all: it needs MMU_READ;
 *   uint64_t hal_mmu_leaf_desc(unsigned level, uint64_t pa, unsigned perms,
 *                              enum mmu_mem_type type, bool global):
 *     a descriptor that maps pa (aligned to mmu_level_size(level)) at this
 *     level: a block at level 1 or 2, a page at level 3. global mappings
 *     hold in every address space (the kernel's); the others only for
 *     their ASID. perms must pass hal_mmu_perms_supported();
 *   uint64_t hal_mmu_next_table(unsigned level, uint64_t desc): the
 *     physical address of the next-level table desc (read from a table at
 *     level) points to, or 0 if it is no table descriptor;
 *   void hal_mmu_entry_set(uint64_t *entry, uint64_t desc): fills an
 *     invalid entry. Earlier writes (a freshly zeroed or filled table that
 *     desc points to, a page's contents) become visible to the table walker
 *     first, then the entry itself. No TLB maintenance: the TLB never holds
 *     invalid entries.
 */
#include "arch/hal_mmu_desc.h"

#endif

#endif
