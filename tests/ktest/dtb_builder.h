/*
 * A tiny device tree blob writer for the fdt and boot_info tests. Cases emit
 * tokens one by one, so they can build exactly the tree they need, valid or
 * deliberately broken; dtb_finish() then lays out header, /memreserve/ map,
 * structure block and strings block like dtc does.
 *
 * Header-only (static functions) so each test file gets its own copy. A
 * struct dtb_builder is about 8 KiB: keep it static, never on the stack.
 */
#ifndef TESTS_KTEST_DTB_BUILDER_H
#define TESTS_KTEST_DTB_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/fdt.h"
#include "lib/ktest.h"
#include "lib/string.h"

#define DTB_STRUCT_MAX  3072
#define DTB_STRINGS_MAX 512
#define DTB_RSV_MAX     8
#define DTB_RSVMAP_MAX  (16 * (DTB_RSV_MAX + 1)) /* the entries and the terminator */
#define DTB_BLOB_MAX    (FDT_HEADER_SIZE + DTB_RSVMAP_MAX + DTB_STRUCT_MAX + DTB_STRINGS_MAX)

struct dtb_builder {
    uint8_t structure[DTB_STRUCT_MAX];
    uint32_t struct_len;
    char strings[DTB_STRINGS_MAX];
    uint32_t strings_len;
    uint64_t rsv[DTB_RSV_MAX][2];
    unsigned rsv_count;
    bool overflow; /* something did not fit: dtb_finish() returns 0 */
    _Alignas(8) uint8_t blob[DTB_BLOB_MAX];
};

static inline void dtb_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint32_t dtb_get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void dtb_begin(struct dtb_builder *b)
{
    b->struct_len = 0;
    b->strings_len = 0;
    b->rsv_count = 0;
    b->overflow = false;
}

/* Appends len raw bytes to the structure block, zero-padded to 4 bytes. */
static inline void dtb_raw(struct dtb_builder *b, const void *data, uint32_t len)
{
    uint32_t padded = (len + 3) & ~3u;

    if (padded > DTB_STRUCT_MAX - b->struct_len) {
        b->overflow = true;
        return;
    }
    memset(b->structure + b->struct_len, 0, padded);
    memcpy(b->structure + b->struct_len, data, len);
    b->struct_len += padded;
}

static inline void dtb_token(struct dtb_builder *b, uint32_t token)
{
    uint8_t word[4];

    dtb_put_be32(word, token);
    dtb_raw(b, word, 4);
}

static inline void dtb_begin_node(struct dtb_builder *b, const char *name)
{
    dtb_token(b, FDT_BEGIN_NODE);
    dtb_raw(b, name, (uint32_t)strlen(name) + 1);
}

static inline void dtb_end_node(struct dtb_builder *b)
{
    dtb_token(b, FDT_END_NODE);
}

/* A property with a raw value; the name goes to the strings block. */
static inline void dtb_prop(struct dtb_builder *b, const char *name, const void *value,
                            uint32_t len)
{
    uint32_t name_len = (uint32_t)strlen(name) + 1;

    if (name_len > DTB_STRINGS_MAX - b->strings_len) {
        b->overflow = true;
        return;
    }
    dtb_token(b, FDT_PROP);
    dtb_token(b, len);
    dtb_token(b, b->strings_len);
    dtb_raw(b, value, len);
    memcpy(b->strings + b->strings_len, name, name_len);
    b->strings_len += name_len;
}

static inline void dtb_prop_string(struct dtb_builder *b, const char *name, const char *s)
{
    dtb_prop(b, name, s, (uint32_t)strlen(s) + 1);
}

/* A property of n cells (n <= 16). */
static inline void dtb_prop_cells(struct dtb_builder *b, const char *name, const uint32_t *cells,
                                  unsigned n)
{
    uint8_t value[64];

    if (n > 16) {
        b->overflow = true;
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        dtb_put_be32(value + 4 * i, cells[i]);
    }
    dtb_prop(b, name, value, 4 * n);
}

static inline void dtb_prop_u32(struct dtb_builder *b, const char *name, uint32_t v)
{
    dtb_prop_cells(b, name, &v, 1);
}

static inline void dtb_add_memreserve(struct dtb_builder *b, uint64_t base, uint64_t size)
{
    if (b->rsv_count == DTB_RSV_MAX) {
        b->overflow = true;
        return;
    }
    b->rsv[b->rsv_count][0] = base;
    b->rsv[b->rsv_count][1] = size;
    b->rsv_count++;
}

/*
 * Lays the blob out in b->blob and returns its size (0 if something did not
 * fit). with_end = false leaves out the final FDT_END token, for the tests
 * that want a broken structure block.
 */
static inline uint32_t dtb_finish_blob(struct dtb_builder *b, bool with_end)
{
    if (with_end) {
        dtb_token(b, FDT_END);
    }
    if (b->overflow) {
        return 0;
    }
    uint32_t rsv_off = FDT_HEADER_SIZE;
    uint32_t struct_off = rsv_off + 16 * (b->rsv_count + 1);
    uint32_t strings_off = struct_off + b->struct_len;
    uint32_t total = strings_off + b->strings_len;

    memset(b->blob, 0, total);
    dtb_put_be32(b->blob + FDT_HDR_MAGIC, FDT_MAGIC);
    dtb_put_be32(b->blob + FDT_HDR_TOTALSIZE, total);
    dtb_put_be32(b->blob + FDT_HDR_OFF_STRUCT, struct_off);
    dtb_put_be32(b->blob + FDT_HDR_OFF_STRINGS, strings_off);
    dtb_put_be32(b->blob + FDT_HDR_OFF_RSVMAP, rsv_off);
    dtb_put_be32(b->blob + FDT_HDR_VERSION, FDT_VERSION);
    dtb_put_be32(b->blob + FDT_HDR_LAST_COMP, 16);
    dtb_put_be32(b->blob + FDT_HDR_SIZE_STRINGS, b->strings_len);
    dtb_put_be32(b->blob + FDT_HDR_SIZE_STRUCT, b->struct_len);
    for (unsigned i = 0; i < b->rsv_count; i++) {
        for (unsigned half = 0; half < 2; half++) {
            uint8_t *p = b->blob + rsv_off + 16 * i + 8 * half;
            dtb_put_be32(p, (uint32_t)(b->rsv[i][half] >> 32));
            dtb_put_be32(p + 4, (uint32_t)b->rsv[i][half]);
        }
    }
    memcpy(b->blob + struct_off, b->structure, b->struct_len);
    memcpy(b->blob + strings_off, b->strings, b->strings_len);
    return total;
}

static inline uint32_t dtb_finish(struct dtb_builder *b)
{
    return dtb_finish_blob(b, true);
}

/* The finished blob's header field at byte offset field (one of FDT_HDR_...). */
static inline uint32_t dtb_header(const struct dtb_builder *b, unsigned field)
{
    return dtb_get_be32(b->blob + field);
}

static inline void dtb_set_header(struct dtb_builder *b, unsigned field, uint32_t value)
{
    dtb_put_be32(b->blob + field, value);
}

/* The finished blob's bytes at structure block offset off (a struct_len noted earlier). */
static inline uint8_t *dtb_struct_at(struct dtb_builder *b, uint32_t off)
{
    return b->blob + dtb_header(b, FDT_HDR_OFF_STRUCT) + off;
}

/*
 * The device tree the machine booted with, its size in *size, or NULL after
 * failing the case: these tests are meant to run against a real DTB.
 */
static inline const uint8_t *dtb_env_blob(struct ktest *t, size_t *size)
{
    const uint8_t *dtb = ktest_env_dtb();

    if (!dtb) {
        ktest_fail(t, __FILE__, __LINE__, "the runner gave no DTB (host runner: --dtb FILE)");
        return NULL;
    }
    /* Nothing else tells us the size; fdt_init() still checks the header. */
    *size = dtb_get_be32(dtb + FDT_HDR_TOTALSIZE);
    return dtb;
}

#endif
