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
 */
#ifndef KERNEL_UMEM_H
#define KERNEL_UMEM_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/vspace.h"

#define UMEM_MAX_REGIONS 24

enum umem_kind {
    UMEM_FREE = 0,
    UMEM_IMAGE, /* a segment of the program */
    UMEM_STACK,
    UMEM_IPC,  /* a thread's IPC buffer */
    UMEM_ANON, /* from SYS_MAP: the only kind SYS_UNMAP may remove */
};

struct umem_region {
    uint64_t va;
    uint64_t size;
    unsigned prot; /* PROT_* from uapi/syscall.h */
    enum umem_kind kind;
};

struct umem {
    struct vspace vs;
    struct umem_region regions[UMEM_MAX_REGIONS];
    uint64_t map_next; /* where SYS_MAP with va 0 looks first */
};

struct frame_allocator;

/* An empty address space whose frames and tables come from fa (the
 * kernel's frame_global(), or a test's own). E_NOMEM if no frame or ASID
 * could be had. */
int umem_init(struct umem *m, struct frame_allocator *fa);

/* Frees every frame of every region, the page tables and the ASID. The
 * address space must not be active on any CPU. */
void umem_destroy(struct umem *m);

/*
 * Maps size bytes at va (page-aligned) to fresh zeroed frames with prot.
 * va 0 picks a free place. Returns the address, or E_INVAL (misaligned,
 * empty, outside user space, writable and executable, unknown bits),
 * E_BUSY (overlaps), E_NOMEM, E_NOSPC (too many regions).
 */
int64_t umem_map(struct umem *m, uint64_t va, uint64_t size, unsigned prot, enum umem_kind kind);

/* Unmaps and frees [va, va+size), which must lie inside one region of kind
 * UMEM_ANON (a part of it is fine). E_INVAL otherwise. */
int umem_unmap(struct umem *m, uint64_t va, uint64_t size);

/* The physical address behind user address va, if mapped with the access
 * asked for (write: PROT_WRITE). E_FAULT otherwise. */
int umem_translate(const struct umem *m, uint64_t va, int write, uint64_t *pa);

int umem_copy_in(const struct umem *m, void *dst, uint64_t src_va, size_t len);
int umem_copy_out(const struct umem *m, uint64_t dst_va, const void *src, size_t len);

/* Copies a NUL-terminated string of at most max-1 characters. Returns its
 * length, E_FAULT if it runs into unmapped memory before its end, or
 * E_INVAL if it is longer. */
int64_t umem_copy_string_in(const struct umem *m, char *dst, uint64_t src_va, size_t max);

/* Makes m the address space that EL0 sees (TTBR0, with its ASID). */
void umem_activate(struct umem *m);

/* For task_info: the ASID and the physical address of the top table. */
uint64_t umem_asid(const struct umem *m);
uint64_t umem_root(const struct umem *m);

#endif
