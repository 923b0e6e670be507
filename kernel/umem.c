/*
 * User memory (see include/kernel/umem.h): the regions a task owns, their
 * frames, and the checked copies between user and kernel memory.
 *
 * Record, then act. A region is entered in the table before its first page
 * is mapped and says at every moment which pages it holds: [va, va + size)
 * for the program, the stack and SYS_MAP memory (the IPC buffer area is
 * one region for all of it, of which only live threads' pages are
 * mapped). A system call that maps or unmaps many pages lets interrupts in
 * between two pages (klock_preemption_point), and may be switched out
 * there and never come back if its task is killed; the region then still
 * names exactly the frames to free. While it grows or shrinks it is
 * "busy": it already claims its whole range, so no other thread of
 * the task can map over it or unmap it.
 *
 * So every region but the IPC buffer area and one being filled (counted in
 * m->filling) has all of [va, va + reserved) mapped. A one-page map while
 * nothing is being filled needs no look at the regions for an overlap,
 * then: the page tables say whether the page is taken (vspace_map_page's
 * E_BUSY), which is also the region table's answer.
 *
 * The copies never touch a user address. For each page they translate the
 * user address in the task's page tables, check the permission, and copy
 * through the kernel's linear map of the physical frame. A bad pointer is
 * therefore an E_FAULT, never a kernel fault, whichever task is running;
 * and since the caller holds the kernel lock, no other thread can unmap
 * the page between the check and the copy.
 */
#include "kernel/umem.h"

#include "hal/memory.h"
#include "kernel/failpoint.h"
#include "kernel/frame.h"
#include "kernel/klock.h"
#include "lib/string.h"
#include "uapi/errors.h"
#include "uapi/syscall.h"

#define PAGE_SIZE MMU_PAGE_SIZE
#define PROT_ALL  (PROT_READ | PROT_WRITE | PROT_EXEC)

_Static_assert(UMEM_MAX_REGIONS <= 32, "umem.in_use has a bit per region");

/* The region slots in use, for loops that look only at those. */
#define FOR_EACH_REGION(m, i, bits)                                                                \
    for (uint32_t bits = (m)->in_use; bits && ((i) = (unsigned)__builtin_ctz(bits), 1);            \
         bits &= bits - 1)

static unsigned umem_region_index(const struct umem *m, const struct umem_region *r)
{
    return (unsigned)(((uintptr_t)r - (uintptr_t)m->regions) / sizeof(*r));
}

static struct umem_region *umem_region_set(struct umem *m, unsigned i, struct umem_region value)
{
    m->regions[i] = value;
    m->in_use |= 1u << i;
    return &m->regions[i];
}

static void umem_region_clear(struct umem *m, struct umem_region *r)
{
    r->kind = UMEM_FREE;
    m->in_use &= ~(1u << umem_region_index(m, r));
}

static unsigned umem_mmu_perms(unsigned prot)
{
    return MMU_READ | MMU_USER | ((prot & PROT_WRITE) ? MMU_WRITE : 0) |
           ((prot & PROT_EXEC) ? MMU_EXEC : 0);
}

int umem_init(struct umem *m, struct frame_allocator *fa)
{
    KLOCK_ASSERT_HELD();
    memset(m->regions, 0, sizeof(m->regions));
    m->in_use = 0;
    m->filling = 0;
    m->last_anon = 0;
    m->map_next = USER_MAP_BASE;
    int err = vspace_init(&m->vs, VSPACE_USER, fa);
    if (err < 0) {
        return err;
    }
    /* The IPC buffer area is the kernel's: one region for all of it, whose
     * pages come and go with the threads (umem_ipc_page_map). */
    umem_region_set(m, 0,
                    (struct umem_region){
                        .va = IPC_BUFFER_VA,
                        .size = UMEM_IPC_AREA_SIZE,
                        .reserved = UMEM_IPC_AREA_SIZE,
                        .prot = PROT_READ | PROT_WRITE,
                        .kind = UMEM_IPC,
                    });
    return 0;
}

/* Maps a fresh zeroed frame of user memory at va. 0, E_NOMEM or E_BUSY. */
static int umem_add_page(struct umem *m, uint64_t va, unsigned prot)
{
    uint64_t pa;
    int err = frame_alloc_for(m->vs.frames, FRAME_USE_USER, &pa); /* zero-filled */

    if (err < 0) {
        return err;
    }
    err = vspace_map_page(&m->vs, va, pa, umem_mmu_perms(prot));
    if (err < 0) {
        frame_free(m->vs.frames, pa);
    }
    return err;
}

/* Unmaps the page at va, if it is mapped, and frees its frame. */
static void umem_drop_page(struct umem *m, uint64_t va)
{
    uint64_t pa;

    if (vspace_translate(&m->vs, va, &pa, NULL) == 0) {
        /* User memory is mapped in pages, never blocks: no split, no failure. */
        KASSERT(vspace_unmap(&m->vs, va, PAGE_SIZE) == 0);
        frame_free(m->vs.frames, pa);
    }
}

/* Frees r's pages from the top down until it holds keep bytes, keeping its
 * record exact after every page. */
static void umem_shrink(struct umem *m, struct umem_region *r, uint64_t keep, bool preemptible)
{
    while (r->size > keep) {
        umem_drop_page(m, r->va + r->size - PAGE_SIZE);
        r->size -= PAGE_SIZE;
        r->reserved = r->size;
        if (preemptible) {
            klock_preemption_point();
        }
    }
}

/* Panics if the task's tables break the frame rules: that is a kernel bug. */
static void umem_check(const struct umem *m)
{
    struct vspace_audit a;

    if (!CONFIG_UMEM_AUDIT) {
        return;
    }
    vspace_audit(&m->vs, &a);
    if (a.errors) {
        panic("umem: address space %u breaks the frame rules %llu times; the first: 0x%llx -> "
              "frame 0x%llx",
              m->vs.asid, (unsigned long long)a.errors, (unsigned long long)a.first_va,
              (unsigned long long)a.first_pa);
    }
}

void umem_destroy(struct umem *m)
{
    KLOCK_ASSERT_HELD();
    umem_check(m);
    unsigned i;
    FOR_EACH_REGION(m, i, bits)
    {
        struct umem_region *r = &m->regions[i];
        r->busy = true;
        umem_shrink(m, r, 0, true);
        umem_region_clear(m, r);
    }
    vspace_destroy(&m->vs);
}

static bool umem_overlaps(const struct umem *m, uint64_t va, uint64_t size)
{
    unsigned i;

    FOR_EACH_REGION(m, i, bits)
    {
        const struct umem_region *r = &m->regions[i];
        if (va < r->va + r->reserved && r->va < va + size) {
            return true;
        }
    }
    return false;
}

/* A free region slot's index, or -1. */
static int umem_region_alloc(struct umem *m)
{
    if (failpoint_hit(FAILPOINT_REGION)) {
        return -1;
    }
    uint32_t free = ~m->in_use & (uint32_t)((1ULL << UMEM_MAX_REGIONS) - 1);

    return free ? __builtin_ctz(free) : -1;
}

/* Finds a free range of size bytes at or above m->map_next. */
static uint64_t umem_pick_address(struct umem *m, uint64_t size)
{
    uint64_t va = m->map_next;

    while (va + size <= IPC_BUFFER_VA && umem_overlaps(m, va, size)) {
        va += PAGE_SIZE;
    }
    return va + size <= IPC_BUFFER_VA ? va : 0;
}

/* umem_map and umem_map_for_another; preemptible: with preemption points
 * between pages. */
static inline __attribute__((always_inline)) int64_t umem_map_fill(struct umem *m, uint64_t va,
                                                                   uint64_t size, unsigned prot,
                                                                   enum umem_kind kind,
                                                                   bool preemptible)
{
    KLOCK_ASSERT_HELD();
    if (size == 0 || (size & (PAGE_SIZE - 1)) || (va & (PAGE_SIZE - 1)) || (prot & ~PROT_ALL) ||
        ((prot & PROT_WRITE) && (prot & PROT_EXEC)) || kind == UMEM_FREE || kind == UMEM_IPC) {
        return E_INVAL;
    }
    if (size > USER_SPACE_TOP || size / PAGE_SIZE > frame_free_count(m->vs.frames)) {
        return E_NOMEM;
    }
    if (va == 0 && (va = umem_pick_address(m, size)) == 0) {
        return E_NOMEM;
    }
    if (va < PAGE_SIZE || va >= USER_SPACE_TOP || size > USER_SPACE_TOP - va) {
        return E_INVAL;
    }
    /* The IPC buffer area is the kernel's, whether its pages are mapped yet or not. */
    if (va < IPC_BUFFER_VA + UMEM_IPC_AREA_SIZE && IPC_BUFFER_VA < va + size) {
        return E_INVAL;
    }
    if ((size > PAGE_SIZE || m->filling > 0) && umem_overlaps(m, va, size)) {
        return E_BUSY;
    }
    /* One page of SYS_MAP memory right after the last SYS_MAP region, alike,
     * grows that region: a pager mapping page after page needs no slot per
     * page. Only one page: it goes in with no preemption point, so the
     * region is never seen busy, and an unmap of its older pages by
     * another thread never fails for it. */
    struct umem_region *r = NULL;
    struct umem_region *last = &m->regions[m->last_anon];
    uint64_t from = 0;
    if (kind == UMEM_ANON && size == PAGE_SIZE && last->kind == UMEM_ANON && !last->busy &&
        last->prot == prot && last->va + last->size == va) {
        r = last;
        from = r->size;
        r->reserved += size;
        r->busy = true;
    } else {
        int slot = umem_region_alloc(m);
        if (slot < 0) {
            return E_NOSPC;
        }
        r = umem_region_set(m, (unsigned)slot,
                            (struct umem_region){.va = va,
                                                 .size = 0,
                                                 .reserved = size,
                                                 .prot = (uint8_t)prot,
                                                 .kind = (uint8_t)kind,
                                                 .busy = true});
    }
    m->filling++;
    while (r->size < from + size) {
        int err = umem_add_page(m, r->va + r->size, prot);
        if (err < 0) {
            umem_shrink(m, r, from, preemptible);
            r->reserved = from;
            r->busy = false;
            if (from == 0) {
                umem_region_clear(m, r);
            }
            m->filling--;
            return err;
        }
        r->size += PAGE_SIZE;
        /* Between pages; after the last, the system call's own end is one.
         * If the task is killed here, its thread never comes back; the
         * region, busy as it is, names the pages its reaping frees. */
        if (preemptible && r->size < from + size) {
            klock_preemption_point();
        }
    }
    m->filling--;
    r->busy = false;
    if (kind == UMEM_ANON) {
        m->last_anon = umem_region_index(m, r);
        if (va == m->map_next) {
            m->map_next = va + size;
        }
    }
    return (int64_t)va;
}

/* Three entries, each with its own copy of umem_map_fill, so that neither
 * the kind nor the preemption points cost a test at run time. */
int64_t umem_map(struct umem *m, uint64_t va, uint64_t size, unsigned prot, enum umem_kind kind)
{
    return umem_map_fill(m, va, size, prot, kind, false);
}

int64_t umem_map_own(struct umem *m, uint64_t va, uint64_t size, unsigned prot)
{
    return umem_map_fill(m, va, size, prot, UMEM_ANON, true);
}

int64_t umem_map_for_another(struct umem *m, uint64_t va, uint64_t size, unsigned prot)
{
    if (size > TASK_MAP_MAX_SIZE) {
        return E_RANGE;
    }
    return umem_map_fill(m, va, size, prot, UMEM_ANON, false);
}

int umem_unmap(struct umem *m, uint64_t va, uint64_t size)
{
    KLOCK_ASSERT_HELD();
    if (size == 0 || (size & (PAGE_SIZE - 1)) || (va & (PAGE_SIZE - 1)) || va + size < va) {
        return E_INVAL;
    }
    unsigned i;
    FOR_EACH_REGION(m, i, bits)
    {
        struct umem_region *r = &m->regions[i];
        if (r->kind != UMEM_ANON || va < r->va || va + size > r->va + r->reserved) {
            continue;
        }
        if (r->busy) {
            return E_BUSY; /* another thread of the task is mapping or unmapping it */
        }
        /* The part after the hole becomes a region of its own. */
        if (va + size < r->va + r->size) {
            int slot = umem_region_alloc(m);
            if (slot < 0) {
                return E_NOSPC;
            }
            struct umem_region *tail = umem_region_set(m, (unsigned)slot, *r);
            tail->va = va + size;
            tail->size = tail->reserved = r->va + r->size - tail->va;
            r->size = r->reserved = va + size - r->va;
        }
        r->busy = true;
        umem_shrink(m, r, va - r->va, true);
        r->busy = false;
        if (r->size == 0) {
            umem_region_clear(m, r);
        }
        return 0;
    }
    return E_INVAL;
}

int umem_ipc_page_map(struct umem *m, unsigned slot, uint64_t *pa)
{
    uint64_t va = IPC_BUFFER_VA + (uint64_t)slot * PAGE_SIZE;

    KLOCK_ASSERT_HELD();
    KASSERT(slot < TASK_MAX_THREADS && vspace_translate(&m->vs, va, NULL, NULL) == E_NOENT);
    int err = umem_add_page(m, va, PROT_READ | PROT_WRITE);
    if (err == 0) {
        KASSERT(vspace_translate(&m->vs, va, pa, NULL) == 0);
    }
    return err;
}

void umem_ipc_page_unmap(struct umem *m, unsigned slot)
{
    KLOCK_ASSERT_HELD();
    KASSERT(slot < TASK_MAX_THREADS);
    umem_drop_page(m, IPC_BUFFER_VA + (uint64_t)slot * PAGE_SIZE);
}

unsigned umem_region_count(const struct umem *m)
{
    unsigned n = 0;

    /* Not __builtin_popcount: with -mgeneral-regs-only it becomes a call
     * to libgcc, which the kernel does not link. */
    for (uint32_t bits = m->in_use; bits; bits &= bits - 1) {
        n++;
    }
    return n;
}

int umem_translate(const struct umem *m, uint64_t va, int write, uint64_t *pa)
{
    unsigned perms;

    if (va >= USER_SPACE_TOP || vspace_translate(&m->vs, va, pa, &perms) < 0 ||
        !(perms & MMU_USER) || (write && !(perms & MMU_WRITE))) {
        return E_FAULT;
    }
    return 0;
}

/* Copies len bytes between kernel memory and user address va, page by page. */
static int umem_copy(const struct umem *m, uint64_t va, void *kernel, size_t len, int to_user)
{
    uint8_t *k = kernel;

    KLOCK_ASSERT_HELD();
    if (va >= USER_SPACE_TOP || len > USER_SPACE_TOP - va) {
        return E_FAULT; /* also catches a range that wraps around */
    }
    /* Check every page first, so a failed copy changes nothing. */
    for (uint64_t p = va & ~(PAGE_SIZE - 1); p < va + len; p += PAGE_SIZE) {
        uint64_t pa;
        if (umem_translate(m, p, to_user, &pa) < 0) {
            return E_FAULT;
        }
    }
    while (len > 0) {
        uint64_t pa;
        size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        if (chunk > len) {
            chunk = len;
        }
        KASSERT(umem_translate(m, va, to_user, &pa) == 0); /* the lock kept it mapped */
        if (to_user) {
            memcpy(hal_phys_to_virt(pa), k, chunk);
        } else {
            memcpy(k, hal_phys_to_virt(pa), chunk);
        }
        va += chunk;
        k += chunk;
        len -= chunk;
    }
    return 0;
}

int umem_copy_in(const struct umem *m, void *dst, uint64_t src_va, size_t len)
{
    return umem_copy(m, src_va, dst, len, 0);
}

int umem_copy_out(const struct umem *m, uint64_t dst_va, const void *src, size_t len)
{
    return umem_copy(m, dst_va, (void *)(uintptr_t)src, len, 1);
}

int64_t umem_copy_string_in(const struct umem *m, char *dst, uint64_t src_va, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        if (umem_copy(m, src_va + i, &dst[i], 1, 0) < 0) {
            return E_FAULT;
        }
        if (dst[i] == '\0') {
            return (int64_t)i;
        }
    }
    return E_INVAL;
}

uint64_t umem_asid(const struct umem *m)
{
    return m->vs.asid;
}

uint64_t umem_root(const struct umem *m)
{
    return m->vs.root;
}
