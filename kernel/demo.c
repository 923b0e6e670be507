/* The demo table, collected by the linker from every DEMO() in the kernel. */
#include "kernel/demo.h"

#include "lib/printf.h"
#include "lib/string.h"

extern const struct demo __start_demos[];
extern const struct demo __stop_demos[];

const struct demo *demo_find(const char *name)
{
    for (const struct demo *d = __start_demos; d < __stop_demos; d++) {
        if (strcmp(d->name, name) == 0) {
            return d;
        }
    }
    return NULL;
}

void demo_print_list(void)
{
    for (const struct demo *d = __start_demos; d < __stop_demos; d++) {
        kprintf("  %-12s %s\n", d->name, d->summary);
    }
}
