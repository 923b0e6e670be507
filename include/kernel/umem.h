/*
 * A task's user memory: its address space (a user-kind vspace with its own
 * ASID) plus the record of which ranges it owns, so that every frame can
 * be freed when the task ends.
 *
 * Also the only road into user memory for the kernel: umem_copy_in and
 * umem_copy_out check that every byte lies in user space, is mapped and
 * has the permission asked for, and then copy through the kernel's linear
 * map. The kernel never dereferences a user pointer, so a bad one can only
 * ever produce E_FAULT.
 *
 * Every frame a umem maps is tagged FRAME_USE_USER; the page tables are
 * the vspace's, tagged FRAME_USE_TABLE, and never mapped. A task can free
 * only its UMEM_ANON regions, so the frames the kernel itself uses through
 * a task (the IPC buffers) go only when the kernel lets them go.
 *
 * Every call needs the kernel lock (include/kernel/klock.h).
 */
#ifndef KERNEL_UMEM_H
#define KERNEL_UMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/vspace.h"
#include "uapi/syscall.h"

#define UMEM_MAX_REGIONS 24

/* Whether umem_destroy audits the tables against the frame tags first. */
#ifndef CONFIG_UMEM_AUDIT
#define CONFIG_UMEM_AUDIT 1
#endif

/* The IPC buffer area: one page per thread slot, from IPC_BUFFER_VA. */
#define UMEM_IPC_AREA_SIZE ((uint64_t)TASK_MAX_THREADS * MMU_PAGE_SIZE)

enum umem_kind {
    UMEM_FREE = 0,
    UMEM_IMAGE, /* a segment of the program */
    UMEM_STACK,
    UMEM_IPC,  /* the IPC buffer area: the kernel maps a page per live thread */
    UMEM_ANON, /* from SYS_MAP: the only kind SYS_UNMAP may remove */
};

/*
 * A range of the address space the task owns. [va, va + size) is what it
 * holds now (UMEM_IPC: the whole area, of which only the pages of live
 * threads are mapped, so its teardown skips the holes); [va, va +
 * reserved) is what it claims, larger only while a system call is still
 * filling it. busy: a system call is filling or emptying it across
 * preemption points, and nobody else may touch it.
 */
struct umem_region {
    uint64_t va;
    uint64_t reserved;
    uint64_t size;
    uint8_t prot; /* PROT_* from uapi/syscall.h */
    uint8_t kind; /* enum umem_kind */
    bool busy;
};

struct umem {
    struct umem_region regions[UMEM_MAX_REGIONS];
    uint32_t in_use;    /* bit i: regions[i] is not UMEM_FREE (the scans skip the rest) */
    unsigned filling;   /* regions being filled by umem_map now (see kernel/umem.c) */
    unsigned last_anon; /* the SYS_MAP region last grown, which the next may grow again */
    uint64_t map_next;  /* where SYS_MAP with va 0 looks first */
    struct vspace vs;
};

struct frame_allocator;

/* An empty address space whose frames and tables come from fa (the
 * kernel's frame_global(), or a test's own), with the IPC buffer area
 * reserved. E_NOMEM if no frame or ASID could be had. */
int umem_init(struct umem *m, struct frame_allocator *fa);

/* Audits the tables (CONFIG_UMEM_AUDIT), then frees every frame of every
 * region, the page tables and the ASID, with preemption points between
 * pages. The address space must not be active on any CPU, and nothing may
 * use it any more. */
void umem_destroy(struct umem *m);

/*
 * Maps size bytes at va (page-aligned) to fresh zeroed frames with prot,
 * as a region of kind (UMEM_IMAGE, UMEM_STACK or UMEM_ANON), in one go: the
 * kernel building a task's program and stack. va 0 picks a free place.
 * Returns the address, or E_INVAL (misaligned, empty, outside user space,
 * in the IPC buffer area, writable and executable, unknown bits), E_BUSY
 * (overlaps a region, or a page the page tables hold), E_NOMEM, E_NOSPC
 * (too many regions). On an error nothing stays mapped.
 */
int64_t umem_map(struct umem *m, uint64_t va, uint64_t size, unsigned prot, enum umem_kind kind);

/* SYS_MAP: umem_map(UMEM_ANON) into the calling task's own memory, with
 * preemption points between pages. If the task is killed at one, its
 * thread never comes back, and the region (busy as it is) names the pages
 * its reaping frees. */
int64_t umem_map_own(struct umem *m, uint64_t va, uint64_t size, unsigned prot);

/*
 * umem_map(UMEM_ANON) on behalf of another task (SYS_TASK_MAP): at most
 * TASK_MAP_MAX_SIZE bytes (else E_RANGE), filled in one go. A preemption
 * point would leave the map half done in memory that is not the caller's,
 * for good if the caller were killed there; a bounded map needs none.
 */
int64_t umem_map_for_another(struct umem *m, uint64_t va, uint64_t size, unsigned prot);

/* Unmaps and frees [va, va+size), which must lie inside one region of kind
 * UMEM_ANON (a part of it is fine), with preemption points between pages.
 * E_INVAL otherwise, E_BUSY while another thread is mapping or unmapping
 * that region, E_NOSPC if cutting a hole needs a region slot. */
int umem_unmap(struct umem *m, uint64_t va, uint64_t size);

/* Maps a fresh zeroed page as the IPC buffer of thread slot slot, which
 * must be unmapped, and stores its physical address. 0 or E_NOMEM. */
int umem_ipc_page_map(struct umem *m, unsigned slot, uint64_t *pa);

/* Unmaps and frees the IPC buffer page of thread slot slot. */
void umem_ipc_page_unmap(struct umem *m, unsigned slot);

/* How many regions m holds (the accounting counts them). */
unsigned umem_region_count(const struct umem *m);

/* The physical address behind user address va, if mapped with the access
 * asked for (write: PROT_WRITE). E_FAULT otherwise. */
int umem_translate(const struct umem *m, uint64_t va, int write, uint64_t *pa);

int umem_copy_in(const struct umem *m, void *dst, uint64_t src_va, size_t len);
int umem_copy_out(const struct umem *m, uint64_t dst_va, const void *src, size_t len);

/* Copies a NUL-terminated string of at most max-1 characters. Returns its
 * length, E_FAULT if it runs into unmapped memory before its end, or
 * E_INVAL if it is longer. */
int64_t umem_copy_string_in(const struct umem *m, char *dst, uint64_t src_va, size_t max);

/* Makes m the address space that EL0 sees (TTBR0, with its ASID); NULL:
 * none. Inline: on every switch between tasks. */
static inline void umem_activate(struct umem *m)
{
    if (m) {
        vspace_activate(&m->vs);
    } else {
        vspace_deactivate();
    }
}

/* For task_info: the ASID and the physical address of the top table. */
uint64_t umem_asid(const struct umem *m);
uint64_t umem_root(const struct umem *m);

#endif
