/*
 * Symbol lookup: a binary search over the sorted function addresses that
 * the build embedded in the .ksyms section.
 */
#include "kernel/ksyms.h"

#include "lib/printf.h"

/* Defined by the generated build/ksyms.S. */
extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addresses[];
extern const uint32_t ksyms_name_offsets[];
extern const char ksyms_names[];

const char *ksyms_lookup_in(const struct ksym_table *table, uint64_t addr, uint64_t *offset)
{
    uint64_t lo = 0;
    uint64_t hi = table->count;

    if (table->count < 2 || addr < table->addresses[0] ||
        addr >= table->addresses[table->count - 1]) {
        return NULL;
    }
    /* Invariant: addresses[lo] <= addr < addresses[hi]. */
    hi = table->count - 1;
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (table->addresses[mid] <= addr) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    *offset = addr - table->addresses[lo];
    return table->names + table->name_offsets[lo];
}

#ifndef HOST_BUILD
const char *ksyms_lookup(uint64_t addr, uint64_t *offset)
{
    const struct ksym_table table = {
        .count = ksyms_count,
        .addresses = ksyms_addresses,
        .name_offsets = ksyms_name_offsets,
        .names = ksyms_names,
    };
    return ksyms_lookup_in(&table, addr, offset);
}

char *ksyms_format(uint64_t addr, char *buf, size_t size)
{
    uint64_t offset;
    const char *name = ksyms_lookup(addr, &offset);

    if (name) {
        ksnprintf(buf, size, "%s+0x%llx", name, (unsigned long long)offset);
    } else {
        ksnprintf(buf, size, "0x%016llx", (unsigned long long)addr);
    }
    return buf;
}
#endif
