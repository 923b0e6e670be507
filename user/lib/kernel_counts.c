/*
 * Comparing two snapshots of SYS_KERNEL_COUNTS: how the test programs
 * prove that an attack, a failure or a death left nothing behind.
 */
#include "ulib.h"

#define FIELD(name)                                                                                \
    {                                                                                              \
#name, offsetof(struct kernel_counts, name)                                                \
    }

static const struct {
    const char *name;
    size_t offset;
} fields[] = {
    FIELD(free_frames), FIELD(tasks),         FIELD(threads), FIELD(kernel_stacks),
    FIELD(endpoints),   FIELD(notifications), FIELD(handles), FIELD(queued_handles),
    FIELD(regions),     FIELD(irq_bindings),
};

int kernel_counts_differ(const struct kernel_counts *a, const struct kernel_counts *b,
                         const char *where)
{
    int differences = 0;

    for (unsigned i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        uint64_t va = *(const uint64_t *)((const char *)a + fields[i].offset);
        uint64_t vb = *(const uint64_t *)((const char *)b + fields[i].offset);
        if (va != vb) {
            if (where) {
                printf("    # %s: %s %llu -> %llu\n", where, fields[i].name, (unsigned long long)va,
                       (unsigned long long)vb);
            }
            differences++;
        }
    }
    return differences;
}
