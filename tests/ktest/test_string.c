/*
 * Tests for lib/string.c: the edge cases C specifies (n == 0, overlap,
 * unsigned byte comparison, the terminator as part of the string) and
 * exhaustive or randomized checks against obvious byte-loop references.
 * On the host the sanitizers also catch any read or write out of bounds.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ktest.h"
#include "lib/string.h"

#define CANARY 0xa5

KTEST(string, memcpy_basic)
{
    char dst[8] = "xxxxxxx";

    KTEST_EXPECT_TRUE(t, memcpy(dst, "abc", 3) == dst);
    KTEST_EXPECT_STREQ(t, dst, "abcxxxx");
    KTEST_EXPECT_TRUE(t, memcpy(dst, "zzz", 0) == dst);
    KTEST_EXPECT_STREQ(t, dst, "abcxxxx");
}

/* Copies len bytes to dst + dst_off and checks all of dst: the copy inside, the canary outside. */
static bool memcpy_case_ok(struct ktest *t, const unsigned char *src, size_t src_off,
                           size_t dst_off, size_t len)
{
    _Alignas(8) unsigned char dst[64];

    memset(dst, CANARY, sizeof(dst));
    memcpy(dst + dst_off, src + src_off, len);
    for (size_t i = 0; i < sizeof(dst); i++) {
        bool inside = i >= dst_off && i < dst_off + len;
        unsigned char want = inside ? src[src_off + i - dst_off] : CANARY;
        if (dst[i] != want) {
            ktest_fail(t, __FILE__, __LINE__, "src_off %zu dst_off %zu len %zu: byte %zu is 0x%02x",
                       src_off, dst_off, len, i, dst[i]);
            return false;
        }
    }
    return true;
}

/*
 * Every combination of source and destination misalignment and length up to
 * a few words, so both the word loop and the byte tail are exercised.
 */
KTEST(string, memcpy_alignments)
{
    _Alignas(8) unsigned char src[64];

    for (size_t i = 0; i < sizeof(src); i++) {
        src[i] = (unsigned char)(i * 7 + 2); /* no two neighbours alike, and never CANARY */
    }
    for (size_t src_off = 0; src_off <= 8; src_off++) {
        for (size_t dst_off = 0; dst_off <= 8; dst_off++) {
            for (size_t len = 0; len <= 40; len++) {
                if (!memcpy_case_ok(t, src, src_off, dst_off, len)) {
                    return;
                }
            }
        }
    }
}

/* Fills len bytes at buf + off and checks all of buf: the fill inside, the canary outside. */
static bool memset_case_ok(struct ktest *t, size_t off, size_t len)
{
    _Alignas(8) unsigned char buf[64];

    memset(buf, CANARY, sizeof(buf));
    if (memset(buf + off, 0x3c, len) != buf + off) {
        ktest_fail(t, __FILE__, __LINE__, "memset did not return its dst");
        return false;
    }
    for (size_t i = 0; i < sizeof(buf); i++) {
        unsigned char want = (i >= off && i < off + len) ? 0x3c : CANARY;
        if (buf[i] != want) {
            ktest_fail(t, __FILE__, __LINE__, "off %zu len %zu: byte %zu is 0x%02x", off, len, i,
                       buf[i]);
            return false;
        }
    }
    return true;
}

KTEST(string, memset_alignments)
{
    for (size_t off = 0; off <= 8; off++) {
        for (size_t len = 0; len <= 40; len++) {
            if (!memset_case_ok(t, off, len)) {
                return;
            }
        }
    }
}

/* memset takes an int but stores only (unsigned char)c. */
KTEST(string, memset_uses_low_byte)
{
    _Alignas(8) unsigned char buf[16];
    const unsigned char expected[16] = {0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
                                        0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab};

    memset(buf, 0x12ab, sizeof(buf));
    KTEST_EXPECT_MEMEQ(t, buf, expected, sizeof(buf));
    memset(buf, -1, 4);
    KTEST_EXPECT_EQ(t, buf[0], 0xff);
    KTEST_EXPECT_EQ(t, buf[3], 0xff);
    KTEST_EXPECT_EQ(t, buf[4], 0xab);
}

KTEST(string, memmove_overlap_forward)
{
    char buf[9] = "abcdefgh";

    /* dst above src: must copy backwards, or "ab" would be copied over and over. */
    KTEST_EXPECT_TRUE(t, memmove(buf + 2, buf, 6) == buf + 2);
    KTEST_EXPECT_STREQ(t, buf, "ababcdef");
}

KTEST(string, memmove_overlap_backward)
{
    char buf[9] = "abcdefgh";

    /* dst below src: must copy forwards. */
    KTEST_EXPECT_TRUE(t, memmove(buf, buf + 2, 6) == buf);
    KTEST_EXPECT_STREQ(t, buf, "cdefghgh");
}

KTEST(string, memmove_edges)
{
    char buf[9] = "abcdefgh";

    memmove(buf, buf, 8);
    KTEST_EXPECT_STREQ(t, buf, "abcdefgh");
    memmove(buf + 1, buf, 0);
    KTEST_EXPECT_STREQ(t, buf, "abcdefgh");
    memmove(buf + 7, buf, 1);
    KTEST_EXPECT_STREQ(t, buf, "abcdefga");
    memmove(buf, buf + 4, 4); /* adjacent, no overlap */
    KTEST_EXPECT_STREQ(t, buf, "efgaefga");
}

/* The obvious correct memmove: go through a separate buffer. */
static void reference_memmove(unsigned char *buf, size_t dst, size_t src, size_t n)
{
    unsigned char tmp[96];

    for (size_t i = 0; i < n; i++) {
        tmp[i] = buf[src + i];
    }
    for (size_t i = 0; i < n; i++) {
        buf[dst + i] = tmp[i];
    }
}

KTEST(string, memmove_random)
{
    uint64_t seed = 0x5eed1234abcdULL;
    unsigned char actual[96];
    unsigned char expected[96];

    for (int round = 0; round < 2000; round++) {
        size_t len = ktest_rand(&seed) % (sizeof(actual) + 1);
        size_t src = ktest_rand(&seed) % (sizeof(actual) - len + 1);
        size_t dst = ktest_rand(&seed) % (sizeof(actual) - len + 1);

        for (size_t i = 0; i < sizeof(actual); i++) {
            actual[i] = expected[i] = (unsigned char)ktest_rand(&seed);
        }
        memmove(actual + dst, actual + src, len);
        reference_memmove(expected, dst, src, len);
        if (memcmp(actual, expected, sizeof(actual)) != 0) {
            ktest_fail(t, __FILE__, __LINE__, "round %d: memmove(+%zu, +%zu, %zu) is wrong", round,
                       dst, src, len);
            return;
        }
    }
}

KTEST(string, memcmp)
{
    const unsigned char hi[2] = {0x80, 0x00};
    const unsigned char lo[2] = {0x01, 0x00};

    KTEST_EXPECT_EQ(t, memcmp("abc", "abc", 3), 0);
    KTEST_EXPECT_EQ(t, memcmp("abc", "xyz", 0), 0);
    KTEST_EXPECT_TRUE(t, memcmp("abc", "abd", 3) < 0);
    KTEST_EXPECT_TRUE(t, memcmp("abd", "abc", 3) > 0);
    KTEST_EXPECT_EQ(t, memcmp("abc", "abd", 2), 0);
    /* Bytes compare unsigned: 0x80 is above 0x01, even where char is signed. */
    KTEST_EXPECT_TRUE(t, memcmp(hi, lo, 1) > 0);
    KTEST_EXPECT_TRUE(t, memcmp(lo, hi, 1) < 0);
    KTEST_EXPECT_TRUE(t, memcmp("\xff", "\x00", 1) > 0);
    /* Compares past NUL bytes: memcmp is not a string function. */
    KTEST_EXPECT_TRUE(t, memcmp("a\0b", "a\0c", 3) < 0);
}

KTEST(string, strlen)
{
    KTEST_EXPECT_EQ(t, strlen(""), 0);
    KTEST_EXPECT_EQ(t, strlen("a"), 1);
    KTEST_EXPECT_EQ(t, strlen("hello"), 5);
    KTEST_EXPECT_EQ(t, strlen("ab\0cd"), 2);
}

KTEST(string, strnlen)
{
    /* Not NUL-terminated: strnlen must not look at byte 4 (ASan would notice). */
    const char unterminated[4] = {'a', 'b', 'c', 'd'};

    KTEST_EXPECT_EQ(t, strnlen("hello", 0), 0);
    KTEST_EXPECT_EQ(t, strnlen("hello", 3), 3);
    KTEST_EXPECT_EQ(t, strnlen("hello", 5), 5);
    KTEST_EXPECT_EQ(t, strnlen("hello", 100), 5);
    KTEST_EXPECT_EQ(t, strnlen("", 100), 0);
    KTEST_EXPECT_EQ(t, strnlen(unterminated, sizeof(unterminated)), 4);
    KTEST_EXPECT_EQ(t, strnlen("hello", SIZE_MAX), 5);
}

KTEST(string, strcmp)
{
    KTEST_EXPECT_EQ(t, strcmp("", ""), 0);
    KTEST_EXPECT_EQ(t, strcmp("abc", "abc"), 0);
    KTEST_EXPECT_TRUE(t, strcmp("abc", "abd") < 0);
    KTEST_EXPECT_TRUE(t, strcmp("abd", "abc") > 0);
    /* A prefix sorts first: its NUL is below any other byte. */
    KTEST_EXPECT_TRUE(t, strcmp("ab", "abc") < 0);
    KTEST_EXPECT_TRUE(t, strcmp("abc", "ab") > 0);
    KTEST_EXPECT_TRUE(t, strcmp("", "a") < 0);
    KTEST_EXPECT_TRUE(t, strcmp("\x80", "\x01") > 0);
    KTEST_EXPECT_TRUE(t, strcmp("a\xe9", "az") > 0);
}

KTEST(string, strncmp)
{
    /* Exactly sized arrays: comparing past a shared NUL would read out of bounds. */
    const char a[2] = "a";
    const char b[2] = "a";

    KTEST_EXPECT_EQ(t, strncmp("abc", "xyz", 0), 0);
    KTEST_EXPECT_EQ(t, strncmp("abc", "abd", 2), 0);
    KTEST_EXPECT_TRUE(t, strncmp("abc", "abd", 3) < 0);
    KTEST_EXPECT_TRUE(t, strncmp("abd", "abc", 100) > 0);
    KTEST_EXPECT_TRUE(t, strncmp("ab", "abc", 3) < 0);
    KTEST_EXPECT_EQ(t, strncmp("ab", "abc", 2), 0);
    KTEST_EXPECT_EQ(t, strncmp(a, b, 100), 0);
    KTEST_EXPECT_EQ(t, strncmp("ab\0x", "ab\0y", 4), 0); /* nothing after the NUL counts */
    KTEST_EXPECT_TRUE(t, strncmp("\x80", "\x01", 1) > 0);
}

KTEST(string, strchr)
{
    const char *s = "hello";
    const char *high = "a\xe9z";

    KTEST_EXPECT_TRUE(t, strchr(s, 'h') == s);
    KTEST_EXPECT_TRUE(t, strchr(s, 'l') == s + 2); /* the first match */
    KTEST_EXPECT_TRUE(t, strchr(s, 'o') == s + 4);
    KTEST_EXPECT_TRUE(t, strchr(s, 'x') == NULL);
    KTEST_EXPECT_TRUE(t, strchr(s, '\0') == s + 5); /* the terminator is part of the string */
    KTEST_EXPECT_TRUE(t, strchr("", '\0') != NULL);
    KTEST_EXPECT_TRUE(t, strchr("", 'a') == NULL);
    /* c is converted to char, so 0xe9 and 'e' + 256 behave like the bytes they hold. */
    KTEST_EXPECT_TRUE(t, strchr(high, 0xe9) == high + 1);
    KTEST_EXPECT_TRUE(t, strchr(s, 'e' + 256) == s + 1);
}

KTEST(string, strlcpy)
{
    char buf[8];

    memset(buf, CANARY, sizeof(buf));
    KTEST_EXPECT_EQ(t, strlcpy(buf, "hi", sizeof(buf)), 2);
    KTEST_EXPECT_STREQ(t, buf, "hi");

    /* Exact fit: 5 characters and the NUL in 6 bytes. */
    memset(buf, CANARY, sizeof(buf));
    KTEST_EXPECT_EQ(t, strlcpy(buf, "hello", 6), 5);
    KTEST_EXPECT_STREQ(t, buf, "hello");
    KTEST_EXPECT_EQ(t, (unsigned char)buf[6], CANARY);

    /* Truncation: the return value is still strlen(src), so callers can detect it. */
    memset(buf, CANARY, sizeof(buf));
    KTEST_EXPECT_EQ(t, strlcpy(buf, "hello, world", 4), 12);
    KTEST_EXPECT_STREQ(t, buf, "hel");
    KTEST_EXPECT_EQ(t, (unsigned char)buf[4], CANARY);

    memset(buf, CANARY, sizeof(buf));
    KTEST_EXPECT_EQ(t, strlcpy(buf, "hello", 1), 5);
    KTEST_EXPECT_EQ(t, buf[0], '\0');
    KTEST_EXPECT_EQ(t, (unsigned char)buf[1], CANARY);

    /* Size 0: nothing is written, not even a NUL. */
    memset(buf, CANARY, sizeof(buf));
    KTEST_EXPECT_EQ(t, strlcpy(buf, "hello", 0), 5);
    KTEST_EXPECT_EQ(t, (unsigned char)buf[0], CANARY);

    KTEST_EXPECT_EQ(t, strlcpy(buf, "", sizeof(buf)), 0);
    KTEST_EXPECT_EQ(t, buf[0], '\0');
}
