/*
 * The ELF64 checks (ELF format: the System V ABI, "Object Files"; AArch64
 * supplement for EM_AARCH64). Every field is read with explicit bounds, as
 * the file is untrusted.
 */
#include "kernel/elf.h"

#include "lib/string.h"
#include "uapi/errors.h"

#define EI_NIDENT       16
#define ELFCLASS64      2
#define ELFDATA2LSB     1
#define EV_CURRENT      1
#define ET_EXEC         2
#define EM_AARCH64      183
#define PT_LOAD         1
#define PF_X            1
#define PF_W            2
#define PF_R            4
#define ELF_HEADER_SIZE 64
#define ELF_PHDR_SIZE   56
#define PAGE_SIZE       4096u

static uint64_t rd(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;

    for (unsigned i = bytes; i-- > 0;) {
        v = (v << 8) | p[i];
    }
    return v;
}

static int elf_reject(const char **reason, const char *why)
{
    *reason = why;
    return E_BADFMT;
}

static int elf_check_header(const uint8_t *h, size_t size, const char **reason)
{
    static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};

    if (size < ELF_HEADER_SIZE) {
        return elf_reject(reason, "file shorter than an ELF header");
    }
    if (memcmp(h, magic, 4) != 0) {
        return elf_reject(reason, "no ELF magic");
    }
    if (h[4] != ELFCLASS64 || h[5] != ELFDATA2LSB || h[6] != EV_CURRENT) {
        return elf_reject(reason, "not a little-endian ELF64 file, version 1");
    }
    if (rd(h + 16, 2) != ET_EXEC) {
        return elf_reject(reason, "not an executable (ET_EXEC)");
    }
    if (rd(h + 18, 2) != EM_AARCH64) {
        return elf_reject(reason, "not built for AArch64");
    }
    if (rd(h + 20, 4) != EV_CURRENT) {
        return elf_reject(reason, "bad ELF version");
    }
    if (rd(h + 52, 2) != ELF_HEADER_SIZE || rd(h + 54, 2) != ELF_PHDR_SIZE) {
        return elf_reject(reason, "unexpected header sizes");
    }
    return 0;
}

/* Checks one PT_LOAD program header and fills seg. */
static int elf_check_segment(const uint8_t *ph, size_t size, uint64_t user_top,
                             struct elf_segment *seg, const char **reason)
{
    uint32_t pflags = (uint32_t)rd(ph + 4, 4);
    uint64_t align = rd(ph + 48, 8);

    seg->offset = rd(ph + 8, 8);
    seg->vaddr = rd(ph + 16, 8);
    seg->filesz = rd(ph + 32, 8);
    seg->memsz = rd(ph + 40, 8);
    seg->flags = ((pflags & PF_R) ? ELF_SEG_READ : 0) | ((pflags & PF_W) ? ELF_SEG_WRITE : 0) |
                 ((pflags & PF_X) ? ELF_SEG_EXEC : 0);

    if (seg->filesz > seg->memsz) {
        return elf_reject(reason, "segment has more file bytes than memory");
    }
    if (seg->offset > size || seg->filesz > size - seg->offset) {
        return elf_reject(reason, "segment data lies outside the file");
    }
    if (seg->memsz > ELF_MAX_IMAGE_SIZE) {
        return elf_reject(reason, "segment size is huge");
    }
    if (seg->vaddr < PAGE_SIZE || seg->vaddr >= user_top || seg->memsz > user_top - seg->vaddr) {
        return elf_reject(reason, "segment lies outside user space");
    }
    if (align != 0 &&
        (align < PAGE_SIZE || (align & (align - 1)) || seg->vaddr % align != seg->offset % align)) {
        return elf_reject(reason, "segment alignment is inconsistent");
    }
    if ((seg->flags & ELF_SEG_WRITE) && (seg->flags & ELF_SEG_EXEC)) {
        return elf_reject(reason, "segment is both writable and executable");
    }
    return 0;
}

static uint64_t page_down(uint64_t v)
{
    return v & ~(uint64_t)(PAGE_SIZE - 1);
}

static uint64_t page_up(uint64_t v)
{
    return (v + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

int elf_parse(const void *data, size_t size, uint64_t user_top, struct elf_image *out,
              const char **reason)
{
    const uint8_t *h = data;
    uint64_t total = 0;
    int err;

    *reason = "ok";
    if (!data) {
        return elf_reject(reason, "no file");
    }
    if ((err = elf_check_header(h, size, reason)) < 0) {
        return err;
    }
    uint64_t phoff = rd(h + 32, 8);
    uint64_t phnum = rd(h + 56, 2);
    if (phoff > size || phnum > (size - phoff) / ELF_PHDR_SIZE) {
        return elf_reject(reason, "program headers lie outside the file");
    }
    out->entry = rd(h + 24, 8);
    out->segment_count = 0;
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = h + phoff + i * ELF_PHDR_SIZE;
        if (rd(ph, 4) != PT_LOAD || rd(ph + 40, 8) == 0) {
            continue; /* not loadable, or an empty segment: nothing to map */
        }
        if (out->segment_count == ELF_MAX_SEGMENTS) {
            return elf_reject(reason, "too many loadable segments");
        }
        struct elf_segment *seg = &out->segments[out->segment_count];
        if ((err = elf_check_segment(ph, size, user_top, seg, reason)) < 0) {
            return err;
        }
        /* Whole pages are mapped, so no two segments may share a page. */
        for (unsigned j = 0; j < out->segment_count; j++) {
            const struct elf_segment *o = &out->segments[j];
            if (page_down(seg->vaddr) < page_up(o->vaddr + o->memsz) &&
                page_down(o->vaddr) < page_up(seg->vaddr + seg->memsz)) {
                return elf_reject(reason, "segments overlap");
            }
        }
        total += page_up(seg->vaddr + seg->memsz) - page_down(seg->vaddr);
        if (total > ELF_MAX_IMAGE_SIZE) {
            return elf_reject(reason, "image too large");
        }
        out->segment_count++;
    }
    if (out->segment_count == 0) {
        return elf_reject(reason, "no loadable segment");
    }
    for (unsigned j = 0; j < out->segment_count; j++) {
        const struct elf_segment *s = &out->segments[j];
        if ((s->flags & ELF_SEG_EXEC) && out->entry >= s->vaddr &&
            out->entry < s->vaddr + s->memsz && (out->entry & 3) == 0) {
            return 0;
        }
    }
    return elf_reject(reason, "entry point is not in an executable segment");
}
