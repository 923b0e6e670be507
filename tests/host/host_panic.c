/* The host test build's panic(): print and abort, so the sanitizer's stack
 * trace shows where it happened. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/panic.h"

void panic(const char *fmt, ...)
{
    va_list ap;

    fprintf(stdout, "\n*** KERNEL PANIC (host): ");
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fprintf(stdout, " ***\n");
    fflush(stdout);
    abort();
}
