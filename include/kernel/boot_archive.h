/*
 * The boot archive: the user programs the build packed into the kernel
 * image (scripts/mkarchive.py writes it; user/rules.mk links it in between
 * user_archive_start and user_archive_end). The kernel starts "init" from
 * it, and init starts the rest by name with the spawn system call.
 *
 * The archive is checked like any untrusted input: every offset and size
 * is bounds-checked before a file is handed out.
 */
#ifndef KERNEL_BOOT_ARCHIVE_H
#define KERNEL_BOOT_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#define BOOT_ARCHIVE_NAME_MAX 32

struct boot_archive {
    const uint8_t *data;
    size_t size;
    uint32_t count;
};

/* Checks the header and every entry of the archive at data (size bytes).
 * Returns 0 or E_BADFMT. */
int boot_archive_open(struct boot_archive *ar, const void *data, size_t size);

/* Finds the file called name (name_len bytes, not necessarily terminated).
 * Returns 0 and sets *file and *file_size, or E_NOENT. */
int boot_archive_find(const struct boot_archive *ar, const char *name, size_t name_len,
                      const void **file, size_t *file_size);

/* The name of entry index (0..count-1), or NULL. */
const char *boot_archive_name(const struct boot_archive *ar, uint32_t index);

/* The archive linked into the kernel (opened on first use), or NULL if it is malformed. */
const struct boot_archive *boot_archive_kernel(void);

#endif
