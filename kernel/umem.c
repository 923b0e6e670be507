/*
 * User memory (see include/kernel/umem.h): the regions a task owns, their
 * frames, and the checked copies between user and kernel memory.
 *
 * The copies never touch a user address. For each page they translate the
 * user address in the task's page tables, check the permission, and copy
 * through the kernel's linear map of the physical frame. A bad pointer is
 * therefore an E_FAULT, never a kernel fault, whichever task is running.
 */
#include "kernel/umem.h"

#include "hal/irq.h"
#include "hal/memory.h"
#include "kernel/frame.h"
#include "kernel/panic.h"
#include "lib/string.h"
#include "uapi/errors.h"
#include "uapi/syscall.h"

#define PAGE_SIZE MMU_PAGE_SIZE
#define PROT_ALL  (PROT_READ | PROT_WRITE | PROT_EXEC)

int umem_init(struct umem *m, struct frame_allocator *fa)
{
    memset(m->regions, 0, sizeof(m->regions));
    m->map_next = USER_MAP_BASE;
    return vspace_init(&m->vs, VSPACE_USER, fa);
}

static unsigned umem_mmu_perms(unsigned prot)
{
    return MMU_READ | MMU_USER | ((prot & PROT_WRITE) ? MMU_WRITE : 0) |
           ((prot & PROT_EXEC) ? MMU_EXEC : 0);
}

/* Unmaps the pages of [va, va+size) one by one and frees their frames. */
static void umem_release_pages(struct umem *m, uint64_t va, uint64_t size)
{
    for (uint64_t p = va; p < va + size; p += PAGE_SIZE) {
        uint64_t pa;
        if (vspace_translate(&m->vs, p, &pa, NULL) == 0) {
            KASSERT(vspace_unmap(&m->vs, p, PAGE_SIZE) == 0);
            frame_free(m->vs.frames, pa);
        }
    }
}

void umem_destroy(struct umem *m)
{
    for (unsigned i = 0; i < UMEM_MAX_REGIONS; i++) {
        struct umem_region *r = &m->regions[i];
        if (r->kind != UMEM_FREE) {
            umem_release_pages(m, r->va, r->size);
            r->kind = UMEM_FREE;
        }
    }
    vspace_destroy(&m->vs);
}

static bool umem_overlaps(const struct umem *m, uint64_t va, uint64_t size)
{
    for (unsigned i = 0; i < UMEM_MAX_REGIONS; i++) {
        const struct umem_region *r = &m->regions[i];
        if (r->kind != UMEM_FREE && va < r->va + r->size && r->va < va + size) {
            return true;
        }
    }
    return false;
}

static struct umem_region *umem_free_slot(struct umem *m)
{
    for (unsigned i = 0; i < UMEM_MAX_REGIONS; i++) {
        if (m->regions[i].kind == UMEM_FREE) {
            return &m->regions[i];
        }
    }
    return NULL;
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

int64_t umem_map(struct umem *m, uint64_t va, uint64_t size, unsigned prot, enum umem_kind kind)
{
    if (size == 0 || (size & (PAGE_SIZE - 1)) || (va & (PAGE_SIZE - 1)) || (prot & ~PROT_ALL) ||
        ((prot & PROT_WRITE) && (prot & PROT_EXEC))) {
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
    if (umem_overlaps(m, va, size)) {
        return E_BUSY;
    }
    struct umem_region *r = umem_free_slot(m);
    if (!r) {
        return E_NOSPC;
    }
    for (uint64_t p = va; p < va + size; p += PAGE_SIZE) {
        uint64_t pa;
        int err = frame_alloc(m->vs.frames, &pa);
        if (err == 0) {
            memset(hal_phys_to_virt(pa), 0, PAGE_SIZE);
            err = vspace_map(&m->vs, p, pa, PAGE_SIZE, umem_mmu_perms(prot), MMU_NORMAL);
            if (err < 0) {
                frame_free(m->vs.frames, pa);
            }
        }
        if (err < 0) {
            umem_release_pages(m, va, p - va);
            return err;
        }
    }
    r->va = va;
    r->size = size;
    r->prot = prot;
    r->kind = kind;
    if (kind == UMEM_ANON && va == m->map_next) {
        m->map_next = va + size;
    }
    return (int64_t)va;
}

int umem_unmap(struct umem *m, uint64_t va, uint64_t size)
{
    if (size == 0 || (size & (PAGE_SIZE - 1)) || (va & (PAGE_SIZE - 1)) || va + size < va) {
        return E_INVAL;
    }
    for (unsigned i = 0; i < UMEM_MAX_REGIONS; i++) {
        struct umem_region *r = &m->regions[i];
        if (r->kind != UMEM_ANON || va < r->va || va + size > r->va + r->size) {
            continue;
        }
        /* The part after the hole becomes a region of its own. */
        if (va + size < r->va + r->size) {
            struct umem_region *tail = umem_free_slot(m);
            if (!tail) {
                return E_NOSPC;
            }
            *tail = *r;
            tail->va = va + size;
            tail->size = r->va + r->size - tail->va;
        }
        umem_release_pages(m, va, size);
        r->size = va - r->va;
        if (r->size == 0) {
            r->kind = UMEM_FREE;
        }
        return 0;
    }
    return E_INVAL;
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
    /* Another thread of the task could unmap a page between the check and
     * the copy: with interrupts masked, no other thread runs on this CPU. */
    unsigned long flags = hal_irq_save();
    while (len > 0) {
        uint64_t pa;
        size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        if (chunk > len) {
            chunk = len;
        }
        KASSERT(umem_translate(m, va, to_user, &pa) == 0);
        if (to_user) {
            memcpy(hal_phys_to_virt(pa), k, chunk);
        } else {
            memcpy(k, hal_phys_to_virt(pa), chunk);
        }
        va += chunk;
        k += chunk;
        len -= chunk;
    }
    hal_irq_restore(flags);
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

void umem_activate(struct umem *m)
{
    if (m) {
        vspace_activate(&m->vs);
    } else {
        vspace_deactivate();
    }
}

uint64_t umem_asid(const struct umem *m)
{
    return m->vs.asid;
}

uint64_t umem_root(const struct umem *m)
{
    return m->vs.root;
}
