/*
 * Checking an ELF executable before trusting any of it.
 *
 * User programs arrive as ELF64 files (from the boot archive, later maybe
 * from disk). elf_parse() verifies every header field and bound the loader
 * will rely on and reports the first problem in words; only then does the
 * loader (kernel/task.c) map the segments elf_parse() describes.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS   8
/* The most memory one program's segments may ask for, together. */
#define ELF_MAX_IMAGE_SIZE (16u << 20)

#define ELF_SEG_READ  1
#define ELF_SEG_WRITE 2
#define ELF_SEG_EXEC  4

struct elf_segment {
    uint64_t vaddr;  /* where it goes in the task's address space */
    uint64_t memsz;  /* how much memory it takes (>= filesz; the rest is zeroed) */
    uint64_t offset; /* where its bytes start in the file */
    uint64_t filesz; /* how many bytes come from the file */
    unsigned flags;  /* ELF_SEG_* */
};

struct elf_image {
    uint64_t entry;
    unsigned segment_count;
    struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/*
 * Checks the ELF file at data (size bytes) as an AArch64 static executable
 * for user space (every segment below user_top), and describes its loadable
 * segments in out. Returns 0, or E_BADFMT with *reason set to a short
 * explanation, e.g. "segments overlap".
 */
int elf_parse(const void *data, size_t size, uint64_t user_top, struct elf_image *out,
              const char **reason);

#endif
