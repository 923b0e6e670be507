/*
 * ASIDs for user address spaces, in generations (the contract is in
 * include/kernel/vspace.h).
 *
 * The TLB tags each entry of the lower half with the ASID in TTBR0 when it
 * was filled, so switching address spaces needs no TLB maintenance as long
 * as no two live address spaces share an ASID. A CPU has 8 or 16 bits of
 * them, fewer than the address spaces a system may want. So ASIDs are
 * handed out in generations, as Linux and seL4 do:
 *   - within a generation, an ASID is free or held by one vspace; a vspace
 *     that dies invalidates its entries (tlbi aside1is) and frees its ASID
 *     for the next one;
 *   - when every ASID of the generation is held, the next generation
 *     starts: the whole TLB is invalidated, the installed vspace keeps its
 *     ASID (its TTBR0 value stays right), and every other one is marked
 *     (installed_root = 0) to take a fresh ASID the next time it is
 *     installed.
 * The mark is what keeps the switch cheap: vspace_activate already tests
 * installed_root for 0 (the kernel kind has none), so a vspace that lost
 * its ASID costs the fast paths nothing. A rollover walks the list of
 * user vspaces once; it happens once per 2^bits - 2 assignments at most.
 *
 * One CPU installs vspaces today. With several, the installed vspace of
 * every CPU must keep its ASID across a rollover, and the invalidation must
 * reach them all (Linux's per-CPU "reserved" ASIDs).
 */
#include "hal/mmu.h"
#include "kernel/klock.h"
#include "kernel/panic.h"
#include "kernel/vspace.h"
#include "lib/list.h"
#include "lib/string.h"

#define ASID_WORDS ((1u << MMU_ASID_MAX_BITS) / 64)

static unsigned asid_bits;           /* 0 until the first use: then the CPU's width */
static uint64_t asid_generation = 1; /* 0 is never a generation: a new vspace has none */
static uint64_t asid_rollovers;
static uint64_t asid_in_use;          /* bits set in asid_map */
static uint64_t asid_map[ASID_WORDS]; /* the current generation's ASIDs held (0 never is) */
static struct list_node user_vspaces = LIST_INIT(user_vspaces);

static uint32_t asid_count(void)
{
    if (asid_bits == 0) {
        asid_bits = hal_mmu_asid_bits();
    }
    return 1u << asid_bits;
}

static void asid_mark(uint32_t asid)
{
    asid_map[asid / 64] |= 1ULL << (asid % 64);
    asid_in_use++;
}

/* The lowest free ASID of this generation, or 0 if there is none. */
static uint32_t asid_find_free(void)
{
    uint32_t count = asid_count();

    for (uint32_t w = 0; w * 64 < count; w++) {
        uint64_t free = ~asid_map[w];
        if (w == 0) {
            free &= ~1ULL; /* MMU_ASID_RESERVED */
        }
        if (free) {
            uint32_t asid = w * 64 + (uint32_t)__builtin_ctzll(free);
            return asid < count ? asid : 0;
        }
    }
    return 0;
}

/* Starts the next generation; the installed vspace keeps its ASID. */
static void asid_new_generation(void)
{
    uint64_t installed = hal_mmu_installed_user_root();
    struct list_node *node;

    asid_generation++;
    memset(asid_map, 0, sizeof(asid_map));
    asid_in_use = 0;
    LIST_FOR_EACH(node, &user_vspaces)
    {
        struct vspace *vs = LIST_ENTRY(node, struct vspace, asid_link);
        if (installed != 0 && vs->installed_root == installed && vs->asid < asid_count()) {
            asid_mark(vs->asid);
            vs->asid_generation = asid_generation;
        } else {
            vs->installed_root = 0; /* a new ASID when next installed */
        }
    }
    /* Entries of every old ASID go, the installed one's too: its ASID is
     * unchanged, and whoever held the others before may hold them again. */
    hal_tlb_invalidate_all();
}

void vspace_asid_assign(struct vspace *vs)
{
    KLOCK_ASSERT_HELD();
    KASSERT(vs->kind == VSPACE_USER);
    if (!list_linked(&vs->asid_link)) {
        list_push_back(&user_vspaces, &vs->asid_link);
    }
    uint32_t asid = asid_find_free();
    if (asid == 0) {
        asid_rollovers++;
        asid_new_generation();
        asid = asid_find_free();
        KASSERT(asid != 0); /* at least 2 bits: the installed one leaves one more */
    }
    asid_mark(asid);
    vs->asid = asid;
    vs->asid_generation = asid_generation;
    vs->installed_root = hal_mmu_user_root(vs->root, asid);
}

void vspace_asid_release(struct vspace *vs)
{
    KLOCK_ASSERT_HELD();
    if (list_linked(&vs->asid_link)) {
        list_remove(&vs->asid_link);
    }
    if (vs->asid_generation == asid_generation && vs->installed_root != 0) {
        /* Its ASID is still its own: forget its entries before anyone else
         * gets it. (One of an older generation was taken back, and its
         * entries went with the rollover's invalidation.) */
        hal_tlb_invalidate_asid(vs->asid);
        asid_map[vs->asid / 64] &= ~(1ULL << (vs->asid % 64));
        asid_in_use--;
    }
    vs->installed_root = 0;
    vs->asid_generation = 0;
}

int vspace_activate_slow(struct vspace *vs)
{
    KLOCK_ASSERT_HELD();
    if (vs->kind != VSPACE_USER) {
        return E_INVAL; /* the kernel kind is never user mode's */
    }
    vspace_asid_assign(vs);
    hal_mmu_install_user_root(vs->installed_root);
    return 0;
}

void vspace_asid_configure(unsigned bits)
{
    unsigned cpu = hal_mmu_asid_bits();

    KLOCK_ASSERT_HELD();
    if (bits == 0 || bits > cpu) {
        bits = cpu;
    }
    asid_bits = bits < 2 ? 2 : bits;
    asid_new_generation(); /* ASIDs past the new width must go */
}

void vspace_asid_info(struct vspace_asid_info *out)
{
    out->bits = (unsigned)__builtin_ctz(asid_count());
    out->cpu_bits = hal_mmu_asid_bits();
    out->generation = asid_generation;
    out->rollovers = asid_rollovers;
    out->in_use = asid_in_use;
}
