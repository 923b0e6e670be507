/*
 * The kernel command line: words separated by spaces, each a flag ("exit")
 * or a key=value pair ("demo=ipc"). It comes from /chosen/bootargs, which
 * QEMU fills from -append. When a key appears twice, the last one wins, so
 * CMDLINE="demo=x" after the Makefile's default still picks x.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if the bare word flag appears in cmdline. */
bool cmdline_has_flag(const char *cmdline, const char *flag);

/*
 * Copies the value of the last "key=value" into buf (NUL-terminated,
 * truncated to size-1). Returns false, leaving buf untouched, if key is absent.
 */
bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);

/* Parses the value of key as a decimal or 0x-prefixed hex number. Returns
 * false if key is absent or its value is not a whole number that fits. */
bool cmdline_get_u64(const char *cmdline, const char *key, uint64_t *value);

#endif
