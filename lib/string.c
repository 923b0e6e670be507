/*
 * Memory and string functions for a kernel without a C library. They favour
 * plain byte loops that are easy to check; only memcpy and memset, which the
 * compiler calls for struct copies and zeroing, move a word at a time.
 *
 * Beware of the compiler here: GCC recognises loops that fill, copy or
 * measure memory and may replace them with calls to memset, memcpy or strlen,
 * which inside those very functions is infinite recursion. The kernel is
 * built with -ffreestanding -fno-tree-loop-distribute-patterns to forbid
 * that; if you change the flags, check the disassembly of these functions.
 */
#include "lib/string.h"

#include <stdint.h>

/*
 * A 64-bit word that may alias any other type, so reading a char buffer
 * through it is allowed (a plain uint64_t pointer would break strict aliasing).
 */
typedef uint64_t __attribute__((may_alias)) word_t;

/*
 * Words are only used when every pointer involved is 8-byte aligned: early
 * boot code runs with the MMU off, where AArch64 faults on any unaligned
 * access (and the kernel is built with -mstrict-align for it).
 */
static int word_aligned(const void *p)
{
    return ((uintptr_t)p & (sizeof(word_t) - 1)) == 0;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (word_aligned(d) && word_aligned(s)) {
        /* Two words per turn: one load pair and one store pair. */
        for (; n >= 2 * sizeof(word_t); n -= 2 * sizeof(word_t)) {
            word_t a = ((const word_t *)s)[0];
            word_t b = ((const word_t *)s)[1];
            ((word_t *)d)[0] = a;
            ((word_t *)d)[1] = b;
            d += 2 * sizeof(word_t);
            s += 2 * sizeof(word_t);
        }
        if (n >= sizeof(word_t)) {
            *(word_t *)d = *(const word_t *)s;
            d += sizeof(word_t);
            s += sizeof(word_t);
            n -= sizeof(word_t);
        }
    }
    for (; n > 0; n--) {
        *d++ = *s++;
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    /*
     * If the regions overlap, copy in the direction that reads each source
     * byte before it is overwritten: forwards when dst is below src,
     * backwards when it is above. Addresses are compared as integers because
     * C leaves comparing pointers into different objects undefined.
     */
    if ((uintptr_t)d < (uintptr_t)s) {
        for (size_t i = 0; i < n; i++) {
            d[i] = s[i];
        }
    } else {
        for (size_t i = n; i > 0; i--) {
            d[i - 1] = s[i - 1];
        }
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    unsigned char byte = (unsigned char)c;

    if (word_aligned(d)) {
        /* The byte repeated in all eight lanes of the word. */
        word_t pattern = 0x0101010101010101ULL * byte;
        for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
            *(word_t *)d = pattern;
            d += sizeof(word_t);
        }
    }
    for (; n > 0; n--) {
        *d++ = byte;
    }
    return dst;
}

/* Bytes compare as unsigned char, as C requires: 0x80 is greater than 0x01. */
int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *pa = a;
    const unsigned char *pb = b;

    for (size_t i = 0; i < n; i++) {
        if (pa[i] != pb[i]) {
            return pa[i] - pb[i];
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t len = 0;

    while (s[len] != '\0') {
        len++;
    }
    return len;
}

size_t strnlen(const char *s, size_t max)
{
    size_t len = 0;

    /* Test the bound first so s[max] is never read: s may be max bytes long, unterminated. */
    while (len < max && s[len] != '\0') {
        len++;
    }
    return len;
}

int strcmp(const char *a, const char *b)
{
    const unsigned char *pa = (const unsigned char *)a;
    const unsigned char *pb = (const unsigned char *)b;

    while (*pa != '\0' && *pa == *pb) {
        pa++;
        pb++;
    }
    return *pa - *pb;
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *pa = (const unsigned char *)a;
    const unsigned char *pb = (const unsigned char *)b;

    for (size_t i = 0; i < n; i++) {
        if (pa[i] != pb[i] || pa[i] == '\0') {
            return pa[i] - pb[i];
        }
    }
    return 0;
}

/* As in C, the terminating NUL is part of the string: strchr(s, '\0') finds it. */
char *strchr(const char *s, int c)
{
    char ch = (char)c;

    for (;; s++) {
        if (*s == ch) {
            return (char *)s;
        }
        if (*s == '\0') {
            return NULL;
        }
    }
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);

    if (size > 0) {
        size_t copy = len < size - 1 ? len : size - 1;
        memcpy(dst, src, copy);
        dst[copy] = '\0';
    }
    /* The full source length lets the caller detect truncation: it happened if len >= size. */
    return len;
}
