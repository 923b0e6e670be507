/*
 * Formatted output, freestanding. The formatter writes through a sink
 * callback so the same code serves the console (kprintf), string buffers
 * (ksnprintf) and the host test build.
 *
 * Supported: %d %i %u %x %X %p %s %c %%, length modifiers l, ll, z,
 * a field width (digits or *), zero padding (0) and left alignment (-).
 * %p prints 0x followed by 16 hex digits. A NULL %s prints "(null)".
 * An unknown conversion is printed verbatim so mistakes stay visible.
 */
#ifndef LIB_PRINTF_H
#define LIB_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*printf_sink_fn)(void *ctx, char c);

/* Formats into sink; returns the number of characters produced. */
int vformat(printf_sink_fn sink, void *ctx, const char *fmt, va_list ap);

/*
 * Like C's snprintf: writes at most size-1 characters plus a terminating NUL
 * (nothing at all when size is 0) and returns the length the full output
 * would have had.
 */
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/*
 * Console output. Provided by the environment, not by lib/: kernel/console.c
 * in the kernel, tests/host/host_console.c in the host test build.
 */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);

#endif
