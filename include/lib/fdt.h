/*
 * A small reader for flattened device trees (the DTB format, version 17).
 *
 * The blob comes from outside the kernel (firmware, QEMU, a test), so it is
 * untrusted input: fdt_init() checks the header and walks the whole structure
 * block once, and every accessor still checks each offset, length and string
 * it reads. A malformed blob yields E_BADFMT, never an out-of-bounds read or an
 * endless loop. Nothing is allocated and the blob is never written.
 *
 * As in libfdt, a node is named by its offset inside the structure block: an
 * int >= 0. Negative ints are error codes from uapi/errors.h.
 */
#ifndef LIB_FDT_H
#define LIB_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC            0xd00dfeedu
#define FDT_VERSION          17
#define FDT_HEADER_SIZE      40
/* Byte offsets of the header fields (each a big-endian 32-bit word). */
#define FDT_HDR_MAGIC        0
#define FDT_HDR_TOTALSIZE    4
#define FDT_HDR_OFF_STRUCT   8
#define FDT_HDR_OFF_STRINGS  12
#define FDT_HDR_OFF_RSVMAP   16
#define FDT_HDR_VERSION      20
#define FDT_HDR_LAST_COMP    24
#define FDT_HDR_BOOT_CPU     28
#define FDT_HDR_SIZE_STRINGS 32
#define FDT_HDR_SIZE_STRUCT  36
/* Deepest nesting accepted, counting the root as level 1. */
#define FDT_MAX_DEPTH        32

/* Structure block tokens (big-endian 32-bit words). */
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

/* A blob that passed fdt_init(). All offsets are in bytes from the blob start. */
struct fdt {
    const uint8_t *blob;
    uint32_t total_size;
    uint32_t struct_off;
    uint32_t struct_size;
    uint32_t strings_off;
    uint32_t strings_size;
    uint32_t rsvmap_off;
    int rsv_count; /* /memreserve/ entries before the all-zero terminator */
    int root;      /* node offset of the root node */
};

/*
 * Validates the blob (at most max_size readable bytes at blob) and fills fdt.
 * Returns 0, E_INVAL for NULL arguments, or E_BADFMT if anything in the header,
 * the reservation map or the structure block is inconsistent. Every other
 * function takes a struct fdt that this call accepted (never a failed one).
 */
int fdt_init(struct fdt *fdt, const void *blob, size_t max_size);

/* The root node. */
int fdt_root_node(const struct fdt *fdt);

/*
 * The node after node in document order (depth first), or E_NOENT at the end
 * of the tree. *depth goes up by one for a child and down for each node closed
 * on the way, so starting at 0 it stays the depth relative to the first node.
 * E_INVAL if node is not a node offset.
 */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);

/* The first child / next sibling of node, or E_NOENT if there is none. */
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);

/* The parent of node; E_NOENT for the root, E_INVAL if node is not a node. */
int fdt_parent_node(const struct fdt *fdt, int node);

/* The node's name with its unit address ("memory@40000000"), or NULL if not a node. */
const char *fdt_node_name(const struct fdt *fdt, int node);

/*
 * Finds a node by absolute path, e.g. "/cpus/cpu@0". A component without '@'
 * also matches a name with a unit address ("/memory" finds "memory@40000000";
 * the first match wins). A ':' ends the path, so a /chosen/stdout-path value
 * such as "/pl011@9000000:115200" can be passed as is. Aliases (paths that do
 * not start with '/') are not supported. Returns the node or E_NOENT.
 */
int fdt_find_node(const struct fdt *fdt, const char *path);

/*
 * The value of property name of node, its length in *len (if len is not NULL).
 * Returns NULL if there is no such property, with the error in *len.
 */
const void *fdt_get_prop(const struct fdt *fdt, int node, const char *name, int *len);

/* A property that holds exactly one string (NUL as its last byte), else NULL. */
const char *fdt_prop_string(const struct fdt *fdt, int node, const char *name);

/* A property that holds exactly one cell. Returns 0, E_NOENT or E_BADFMT (wrong length). */
int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *value);

/*
 * Reads count (1 or 2) big-endian cells starting at cell index of a property
 * of cells, e.g. one interrupt number or a 2-cell address. Returns 0, E_NOENT
 * if the property or the cells do not exist, E_BADFMT if the property's length
 * is not a multiple of 4, E_INVAL for a bad count or index.
 */
int fdt_prop_cells(const struct fdt *fdt, int node, const char *name, int index, int count,
                   uint64_t *value);

/*
 * The #address-cells and #size-cells that node's "reg" uses: those of its
 * parent, 2 and 1 when absent (as the devicetree specification says). Returns
 * 0, E_INVAL for the root, or E_RANGE unless 1 <= address <= 2 and size <= 2.
 */
int fdt_get_reg_cells(const struct fdt *fdt, int node, int *address_cells, int *size_cells);

/*
 * Entry index of node's "reg" as a (base, size) pair. Returns 0, E_NOENT if
 * there is no reg or no such entry, E_BADFMT for a reg whose length does not
 * fit the cell sizes, or an error of fdt_get_reg_cells().
 */
int fdt_get_reg(const struct fdt *fdt, int node, int index, uint64_t *base, uint64_t *size);

/* Whether compat is one of the NUL-terminated strings of node's "compatible". */
bool fdt_node_is_compatible(const struct fdt *fdt, int node, const char *compat);

/* Whether node's "status" is missing, "okay" or "ok". */
bool fdt_node_is_enabled(const struct fdt *fdt, int node);

/*
 * The first node / the next node after node (in document order) that is
 * compatible with compat, or E_NOENT.
 */
int fdt_first_compatible(const struct fdt *fdt, const char *compat);
int fdt_next_compatible(const struct fdt *fdt, int node, const char *compat);

/* /memreserve/ entry index. Returns 0, E_NOENT past the last one, or E_INVAL. */
int fdt_get_memreserve(const struct fdt *fdt, int index, uint64_t *base, uint64_t *size);

#endif
