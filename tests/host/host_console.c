/* The host test build's console: kprintf goes to stdout. */
#include <stdio.h>

#include "lib/printf.h"

static void host_sink(void *ctx, char c)
{
    (void)ctx;
    putchar(c);
}

int kvprintf(const char *fmt, va_list ap)
{
    return vformat(host_sink, NULL, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}
