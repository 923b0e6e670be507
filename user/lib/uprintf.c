/*
 * printf for user programs: format into a buffer with lib/printf.c's
 * formatter, then hand whole lines to the kernel's debug_write call, so the
 * lines of different tasks do not interleave mid-line.
 */
#include "ulib.h"

struct line_buffer {
    char data[256];
    size_t used;
};

static void line_flush(struct line_buffer *lb)
{
    if (lb->used) {
        sys_debug_write(lb->data, lb->used);
        lb->used = 0;
    }
}

static void line_sink(void *ctx, char c)
{
    struct line_buffer *lb = ctx;

    lb->data[lb->used++] = c;
    if (c == '\n' || lb->used == sizeof(lb->data)) {
        line_flush(lb);
    }
}

int kvprintf(const char *fmt, va_list ap)
{
    struct line_buffer lb = {.used = 0};
    int n = vformat(line_sink, &lb, fmt, ap);

    line_flush(&lb);
    return n;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}
