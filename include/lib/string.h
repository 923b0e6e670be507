/*
 * The freestanding string and memory functions the kernel needs. The
 * compiler may emit calls to memcpy, memmove, memset and memcmp on its own,
 * so the kernel must provide them under their standard names.
 *
 * The host test build links against the C library, which owns those names,
 * so there (and only there) our versions are renamed with a lib_ prefix: the
 * host tests then exercise exactly this code without clashing with libc.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <stddef.h>

#ifdef HOST_BUILD
#define memcpy  lib_memcpy
#define memmove lib_memmove
#define memset  lib_memset
#define memcmp  lib_memcmp
#define strlen  lib_strlen
#define strnlen lib_strnlen
#define strcmp  lib_strcmp
#define strncmp lib_strncmp
#define strchr  lib_strchr
#define strlcpy lib_strlcpy
#endif

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
/* Length of s, but never looks past max bytes. */
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* Copies with truncation and always terminates (when size > 0); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
