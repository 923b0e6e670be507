/* Reading the boot archive (format in scripts/mkarchive.py). */
#include "kernel/boot_archive.h"

#include "lib/string.h"
#include "uapi/errors.h"

#define ARCHIVE_MAGIC       "UARCHIV1"
#define ARCHIVE_HEADER_SIZE 16
#define ARCHIVE_ENTRY_SIZE  (BOOT_ARCHIVE_NAME_MAX + 16)

static uint64_t read_le64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static const uint8_t *archive_entry(const struct boot_archive *ar, uint32_t index)
{
    return ar->data + ARCHIVE_HEADER_SIZE + (size_t)index * ARCHIVE_ENTRY_SIZE;
}

int boot_archive_open(struct boot_archive *ar, const void *data, size_t size)
{
    const uint8_t *p = data;

    if (!data || size < ARCHIVE_HEADER_SIZE || memcmp(p, ARCHIVE_MAGIC, 8) != 0) {
        return E_BADFMT;
    }
    uint32_t count = (uint32_t)read_le64(p + 8);
    if (count > (size - ARCHIVE_HEADER_SIZE) / ARCHIVE_ENTRY_SIZE) {
        return E_BADFMT;
    }
    ar->data = p;
    ar->size = size;
    ar->count = count;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *e = archive_entry(ar, i);
        uint64_t offset = read_le64(e + BOOT_ARCHIVE_NAME_MAX);
        uint64_t length = read_le64(e + BOOT_ARCHIVE_NAME_MAX + 8);
        /* The name must be terminated inside its field; the file inside the archive. */
        if (strnlen((const char *)e, BOOT_ARCHIVE_NAME_MAX) == BOOT_ARCHIVE_NAME_MAX ||
            offset > size || length > size - offset) {
            return E_BADFMT;
        }
    }
    return 0;
}

const char *boot_archive_name(const struct boot_archive *ar, uint32_t index)
{
    return index < ar->count ? (const char *)archive_entry(ar, index) : NULL;
}

int boot_archive_find(const struct boot_archive *ar, const char *name, size_t name_len,
                      const void **file, size_t *file_size)
{
    if (name_len == 0 || name_len >= BOOT_ARCHIVE_NAME_MAX) {
        return E_NOENT;
    }
    for (uint32_t i = 0; i < ar->count; i++) {
        const uint8_t *e = archive_entry(ar, i);
        if (strncmp((const char *)e, name, name_len) == 0 && e[name_len] == '\0') {
            *file = ar->data + read_le64(e + BOOT_ARCHIVE_NAME_MAX);
            *file_size = (size_t)read_le64(e + BOOT_ARCHIVE_NAME_MAX + 8);
            return 0;
        }
    }
    return E_NOENT;
}

#ifndef HOST_BUILD
extern const uint8_t user_archive_start[];
extern const uint8_t user_archive_end[];

const struct boot_archive *boot_archive_kernel(void)
{
    static struct boot_archive archive;
    static int state; /* 0 unopened, 1 good, -1 bad */

    if (state == 0) {
        state = boot_archive_open(&archive, user_archive_start,
                                  (size_t)(user_archive_end - user_archive_start)) == 0
                    ? 1
                    : -1;
    }
    return state > 0 ? &archive : NULL;
}
#endif
