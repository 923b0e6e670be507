/*
 * Flattened device tree reader: header checks, a bounds-checked token reader,
 * and the lookups built on it. See include/lib/fdt.h for the contracts.
 *
 * Layout of a blob: a 40-byte header, the /memreserve/ map (16-byte entries
 * ending with an all-zero one), the structure block (a stream of tokens) and
 * the strings block (the property names). All numbers are big-endian.
 *
 * Termination: every token is at least 4 bytes, so each loop over tokens moves
 * strictly forward and ends at the end of the structure block at the latest.
 */
#include "lib/fdt.h"

#include "lib/string.h"
#include "uapi/errors.h"

#define FDT_RSV_ENTRY_SIZE   16
#define FDT_PROP_HEADER_SIZE 8 /* value length, then name offset */

/* Byte by byte, so an unaligned or foreign-endian blob reads the same everywhere. */
static uint32_t fdt_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t fdt_be64(const uint8_t *p)
{
    return (uint64_t)fdt_be32(p) << 32 | fdt_be32(p + 4);
}

static uint32_t fdt_align4(uint32_t x)
{
    return (x + 3) & ~3u;
}

/* Is [off, off + size) inside the blob and clear of the header? */
static bool fdt_block_fits(uint32_t off, uint32_t size, uint32_t total)
{
    return off >= FDT_HEADER_SIZE && off <= total && size <= total - off;
}

/* The string at off in the strings block, or NULL if it is not terminated inside it. */
static const char *fdt_string(const struct fdt *fdt, uint32_t off)
{
    if (off >= fdt->strings_size) {
        return NULL;
    }
    const char *s = (const char *)fdt->blob + fdt->strings_off + off;
    size_t room = fdt->strings_size - off;
    return strnlen(s, room) < room ? s : NULL;
}

static const uint8_t *fdt_struct_at(const struct fdt *fdt, int offset)
{
    return fdt->blob + fdt->struct_off + (uint32_t)offset;
}

/*
 * Reads the token at offset, checks that it and its payload (node name,
 * property header, value and name string) lie inside their blocks, and stores
 * the offset of the following token in *next. Returns the token or E_BADFMT.
 */
static int fdt_next_token(const struct fdt *fdt, int offset, int *next)
{
    uint32_t size = fdt->struct_size;
    uint32_t pos = (uint32_t)offset;

    if (offset < 0 || (pos & 3) || pos > size || size - pos < 4) {
        return E_BADFMT;
    }
    const uint8_t *base = fdt_struct_at(fdt, 0);
    uint32_t token = fdt_be32(base + pos);
    pos += 4;

    switch (token) {
    case FDT_BEGIN_NODE: {
        size_t len = strnlen((const char *)base + pos, size - pos);
        if (len == size - pos) {
            return E_BADFMT; /* the name runs off the end of the block */
        }
        pos = fdt_align4(pos + (uint32_t)len + 1);
        break;
    }
    case FDT_PROP: {
        if (size - pos < FDT_PROP_HEADER_SIZE) {
            return E_BADFMT;
        }
        uint32_t len = fdt_be32(base + pos);
        uint32_t name_off = fdt_be32(base + pos + 4);
        pos += FDT_PROP_HEADER_SIZE;
        if (len > size - pos || !fdt_string(fdt, name_off)) {
            return E_BADFMT;
        }
        pos = fdt_align4(pos + len);
        break;
    }
    case FDT_END_NODE:
    case FDT_NOP:
    case FDT_END:
        break;
    default:
        return E_BADFMT;
    }
    /* size is a multiple of 4, so aligning up never leaves the block. */
    *next = (int)pos;
    return (int)token;
}

/* Checks that node is a BEGIN_NODE token; returns the offset of its first property. */
static int fdt_node_body(const struct fdt *fdt, int node)
{
    int next;
    return fdt_next_token(fdt, node, &next) == FDT_BEGIN_NODE ? next : E_INVAL;
}

/* Counts the /memreserve/ entries, making sure the terminator is inside the blob. */
static int fdt_count_memreserve(const struct fdt *fdt)
{
    uint32_t off = fdt->rsvmap_off;

    for (int count = 0; fdt->total_size - off >= FDT_RSV_ENTRY_SIZE; count++) {
        const uint8_t *entry = fdt->blob + off;
        if (fdt_be64(entry) == 0 && fdt_be64(entry + 8) == 0) {
            return count;
        }
        off += FDT_RSV_ENTRY_SIZE;
    }
    return E_BADFMT;
}

/*
 * Walks every token once: exactly one root node, balanced BEGIN/END_NODE,
 * properties only inside nodes, nesting within FDT_MAX_DEPTH, a final FDT_END.
 */
static int fdt_check_struct(struct fdt *fdt)
{
    int depth = 0;
    bool root_closed = false;
    int next;

    for (int offset = 0;; offset = next) {
        int token = fdt_next_token(fdt, offset, &next);
        switch (token) {
        case FDT_BEGIN_NODE:
            if (root_closed || depth == FDT_MAX_DEPTH) {
                return E_BADFMT;
            }
            if (depth++ == 0) {
                fdt->root = offset;
            }
            break;
        case FDT_END_NODE:
            if (depth == 0) {
                return E_BADFMT;
            }
            root_closed = --depth == 0;
            break;
        case FDT_PROP:
            if (depth == 0) {
                return E_BADFMT;
            }
            break;
        case FDT_NOP:
            break;
        case FDT_END:
            return root_closed ? 0 : E_BADFMT;
        default:
            return token; /* an error from fdt_next_token() */
        }
    }
}

int fdt_init(struct fdt *fdt, const void *blob, size_t max_size)
{
    const uint8_t *h = blob;

    if (!fdt || !blob) {
        return E_INVAL;
    }
    if (max_size < FDT_HEADER_SIZE || fdt_be32(h + FDT_HDR_MAGIC) != FDT_MAGIC) {
        return E_BADFMT;
    }
    uint32_t total = fdt_be32(h + FDT_HDR_TOTALSIZE);
    if (total < FDT_HEADER_SIZE || total > max_size || total > INT32_MAX) {
        return E_BADFMT;
    }
    /* Version 17 is the first with size_dt_struct, which the bounds checks need. */
    if (fdt_be32(h + FDT_HDR_VERSION) < FDT_VERSION ||
        fdt_be32(h + FDT_HDR_LAST_COMP) > FDT_VERSION) {
        return E_BADFMT;
    }
    fdt->blob = h;
    fdt->total_size = total;
    fdt->struct_off = fdt_be32(h + FDT_HDR_OFF_STRUCT);
    fdt->struct_size = fdt_be32(h + FDT_HDR_SIZE_STRUCT);
    fdt->strings_off = fdt_be32(h + FDT_HDR_OFF_STRINGS);
    fdt->strings_size = fdt_be32(h + FDT_HDR_SIZE_STRINGS);
    fdt->rsvmap_off = fdt_be32(h + FDT_HDR_OFF_RSVMAP);
    fdt->root = E_NOENT;

    if (!fdt_block_fits(fdt->struct_off, fdt->struct_size, total) ||
        !fdt_block_fits(fdt->strings_off, fdt->strings_size, total) ||
        !fdt_block_fits(fdt->rsvmap_off, FDT_RSV_ENTRY_SIZE, total)) {
        return E_BADFMT;
    }
    if (fdt->struct_off % 4 != 0 || fdt->struct_size % 4 != 0 || fdt->rsvmap_off % 8 != 0) {
        return E_BADFMT;
    }
    if (fdt->struct_off < fdt->strings_off + fdt->strings_size &&
        fdt->strings_off < fdt->struct_off + fdt->struct_size) {
        return E_BADFMT; /* the structure and strings blocks overlap */
    }
    fdt->rsv_count = fdt_count_memreserve(fdt);
    if (fdt->rsv_count < 0) {
        return fdt->rsv_count;
    }
    return fdt_check_struct(fdt);
}

int fdt_root_node(const struct fdt *fdt)
{
    return fdt->root;
}

int fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
    int offset = fdt_node_body(fdt, node);
    int next;

    if (offset < 0) {
        return offset;
    }
    for (;; offset = next) {
        int token = fdt_next_token(fdt, offset, &next);
        if (token == FDT_BEGIN_NODE) {
            (*depth)++;
            return offset;
        }
        if (token == FDT_END_NODE) {
            (*depth)--;
        } else if (token == FDT_END) {
            return E_NOENT;
        } else if (token < 0) {
            return token;
        }
    }
}

int fdt_first_child(const struct fdt *fdt, int node)
{
    int depth = 0;
    int child = fdt_next_node(fdt, node, &depth);

    if (child < 0) {
        return child;
    }
    return depth == 1 ? child : E_NOENT;
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
    int depth = 0;

    /* Skip node's descendants (depth > 0); depth < 0 means we left the parent. */
    do {
        node = fdt_next_node(fdt, node, &depth);
    } while (node >= 0 && depth > 0);
    if (node < 0) {
        return node;
    }
    return depth == 0 ? node : E_NOENT;
}

int fdt_parent_node(const struct fdt *fdt, int node)
{
    int path[FDT_MAX_DEPTH]; /* path[d] = the last node seen at depth d */
    int depth = 0;
    int offset = fdt->root;

    if (node == fdt->root) {
        return E_NOENT;
    }
    path[0] = offset;
    while ((offset = fdt_next_node(fdt, offset, &depth)) >= 0 && offset <= node) {
        if (depth <= 0 || depth >= FDT_MAX_DEPTH) {
            return E_BADFMT;
        }
        path[depth] = offset;
        if (offset == node) {
            return path[depth - 1];
        }
    }
    return E_INVAL;
}

const char *fdt_node_name(const struct fdt *fdt, int node)
{
    if (fdt_node_body(fdt, node) < 0) {
        return NULL;
    }
    return (const char *)fdt_struct_at(fdt, node) + 4;
}

/* Does name match the path component comp[0..len)? "memory" matches "memory@0". */
static bool fdt_name_matches(const char *name, const char *comp, size_t len)
{
    /* comp has no NUL in its first len bytes, so this also fails if name is shorter. */
    if (strncmp(name, comp, len) != 0) {
        return false;
    }
    if (name[len] == '\0') {
        return true;
    }
    for (size_t i = 0; i < len; i++) {
        if (comp[i] == '@') {
            return false; /* comp has its own unit address, which must match exactly */
        }
    }
    return name[len] == '@';
}

int fdt_find_node(const struct fdt *fdt, const char *path)
{
    int node = fdt->root;

    if (path[0] != '/') {
        return E_NOENT;
    }
    while (*path != '\0' && *path != ':') {
        if (*path == '/') {
            path++;
            continue;
        }
        size_t len = 0;
        while (path[len] != '\0' && path[len] != '/' && path[len] != ':') {
            len++;
        }
        int child = fdt_first_child(fdt, node);
        while (child >= 0 && !fdt_name_matches(fdt_node_name(fdt, child), path, len)) {
            child = fdt_next_sibling(fdt, child);
        }
        if (child < 0) {
            return child;
        }
        node = child;
        path += len;
    }
    return node;
}

const void *fdt_get_prop(const struct fdt *fdt, int node, const char *name, int *len)
{
    int offset = fdt_node_body(fdt, node);
    int err = offset < 0 ? offset : E_NOENT;
    int next;

    /* Properties come before the subnodes, so stop at the first other token. */
    for (; offset >= 0; offset = next) {
        int token = fdt_next_token(fdt, offset, &next);
        if (token == FDT_NOP) {
            continue;
        }
        if (token != FDT_PROP) {
            err = token < 0 ? token : E_NOENT;
            break;
        }
        const uint8_t *prop = fdt_struct_at(fdt, offset) + 4;
        const char *prop_name = fdt_string(fdt, fdt_be32(prop + 4));
        if (prop_name && strcmp(prop_name, name) == 0) {
            if (len) {
                *len = (int)fdt_be32(prop);
            }
            return prop + FDT_PROP_HEADER_SIZE;
        }
    }
    if (len) {
        *len = err;
    }
    return NULL;
}

const char *fdt_prop_string(const struct fdt *fdt, int node, const char *name)
{
    int len;
    const char *s = fdt_get_prop(fdt, node, name, &len);

    /* Exactly one string: its NUL is the last byte (so a string list is not one). */
    if (!s || len == 0 || strnlen(s, (size_t)len) != (size_t)len - 1) {
        return NULL;
    }
    return s;
}

int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *value)
{
    int len;
    const uint8_t *p = fdt_get_prop(fdt, node, name, &len);

    if (!p) {
        return len;
    }
    if (len != 4) {
        return E_BADFMT;
    }
    *value = fdt_be32(p);
    return 0;
}

/* count (at most 2) cells at p as one number. */
static uint64_t fdt_read_cells(const uint8_t *p, int count)
{
    uint64_t value = 0;

    for (int i = 0; i < count; i++) {
        value = value << 32 | fdt_be32(p + 4 * i);
    }
    return value;
}

int fdt_prop_cells(const struct fdt *fdt, int node, const char *name, int index, int count,
                   uint64_t *value)
{
    int len;
    const uint8_t *p;

    if (count < 1 || count > 2 || index < 0) {
        return E_INVAL;
    }
    p = fdt_get_prop(fdt, node, name, &len);
    if (!p) {
        return len;
    }
    if (len % 4 != 0) {
        return E_BADFMT;
    }
    if (index > len / 4 - count) {
        return E_NOENT;
    }
    *value = fdt_read_cells(p + 4 * index, count);
    return 0;
}

int fdt_get_reg_cells(const struct fdt *fdt, int node, int *address_cells, int *size_cells)
{
    int parent = fdt_parent_node(fdt, node);
    uint32_t ac = 2;
    uint32_t sc = 1;
    int err;

    if (parent < 0) {
        return E_INVAL;
    }
    err = fdt_prop_u32(fdt, parent, "#address-cells", &ac);
    if (err < 0 && err != E_NOENT) {
        return err;
    }
    err = fdt_prop_u32(fdt, parent, "#size-cells", &sc);
    if (err < 0 && err != E_NOENT) {
        return err;
    }
    /* Wider cells (PCI's 3) are valid, but a base or size must fit in 64 bits here. */
    if (ac < 1 || ac > 2 || sc > 2) {
        return E_RANGE;
    }
    *address_cells = (int)ac;
    *size_cells = (int)sc;
    return 0;
}

int fdt_get_reg(const struct fdt *fdt, int node, int index, uint64_t *base, uint64_t *size)
{
    int ac, sc, len;
    int err = fdt_get_reg_cells(fdt, node, &ac, &sc);

    if (err < 0) {
        return err;
    }
    const uint8_t *reg = fdt_get_prop(fdt, node, "reg", &len);
    if (!reg) {
        return len;
    }
    int stride = 4 * (ac + sc);
    if (len % stride != 0) {
        return E_BADFMT;
    }
    if (index < 0 || index >= len / stride) {
        return E_NOENT;
    }
    reg += index * stride;
    *base = fdt_read_cells(reg, ac);
    *size = fdt_read_cells(reg + 4 * ac, sc);
    return 0;
}

bool fdt_node_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
    int len;
    const char *list = fdt_get_prop(fdt, node, "compatible", &len);
    size_t want = strlen(compat);

    for (size_t pos = 0; list && pos < (size_t)len;) {
        size_t item = strnlen(list + pos, (size_t)len - pos);
        if (item == (size_t)len - pos) {
            return false; /* an unterminated last string matches nothing */
        }
        if (item == want && memcmp(list + pos, compat, want) == 0) {
            return true;
        }
        pos += item + 1;
    }
    return false;
}

bool fdt_node_is_enabled(const struct fdt *fdt, int node)
{
    int len;

    if (!fdt_get_prop(fdt, node, "status", &len)) {
        return len == E_NOENT;
    }
    const char *status = fdt_prop_string(fdt, node, "status");
    return status && (strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0);
}

int fdt_first_compatible(const struct fdt *fdt, const char *compat)
{
    if (fdt_node_is_compatible(fdt, fdt->root, compat)) {
        return fdt->root;
    }
    return fdt_next_compatible(fdt, fdt->root, compat);
}

int fdt_next_compatible(const struct fdt *fdt, int node, const char *compat)
{
    int depth = 0;

    while ((node = fdt_next_node(fdt, node, &depth)) >= 0) {
        if (fdt_node_is_compatible(fdt, node, compat)) {
            return node;
        }
    }
    return node;
}

int fdt_get_memreserve(const struct fdt *fdt, int index, uint64_t *base, uint64_t *size)
{
    if (index < 0) {
        return E_INVAL;
    }
    if (index >= fdt->rsv_count) {
        return E_NOENT;
    }
    const uint8_t *entry = fdt->blob + fdt->rsvmap_off + (uint32_t)index * FDT_RSV_ENTRY_SIZE;
    *base = fdt_be64(entry);
    *size = fdt_be64(entry + 8);
    return 0;
}
