/*
 * The kernel's own symbol table, embedded in the image at build time (see
 * scripts/gen-ksyms.py and the two-pass link in the Makefile), so fault
 * reports can say "kmain+0x48" without any host tool.
 */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A table of function start addresses, sorted ascending. The last entry is
 * a sentinel marking the end of the code (it has an empty name).
 */
struct ksym_table {
    uint64_t count;
    const uint64_t *addresses;
    const uint32_t *name_offsets; /* into names */
    const char *names;            /* NUL-terminated names, back to back */
};

/*
 * Finds the function containing addr in table: returns its name and sets
 * *offset to addr minus the function's start, or returns NULL if addr lies
 * outside every function.
 */
const char *ksyms_lookup_in(const struct ksym_table *table, uint64_t addr, uint64_t *offset);

/* The same, in the kernel's embedded table. */
const char *ksyms_lookup(uint64_t addr, uint64_t *offset);

/* Writes "name+0xoff" (or "0x<addr>" when unknown) into buf; returns buf. */
char *ksyms_format(uint64_t addr, char *buf, size_t size);

/* Prints a symbolized backtrace: pc first (unless 0), then the return addresses
 * found by following frame records from fp. */
void backtrace_print(uint64_t pc, uint64_t fp);

#endif
