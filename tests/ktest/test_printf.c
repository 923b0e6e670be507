/*
 * Tests for lib/printf.c. Every case compares the exact output and the
 * returned length with what C's snprintf would give, so they run the same on
 * the host (under the sanitizers) and in the kernel.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ktest.h"
#include "lib/printf.h"
#include "lib/string.h"

/* Formats into a buffer and checks both the text and the returned length. */
static void check_vformat(struct ktest *t, int line, const char *expected, const char *fmt,
                          va_list ap)
{
    char buf[128];
    int n = kvsnprintf(buf, sizeof(buf), fmt, ap);

    ktest_expect_streq(t, __FILE__, line, fmt, buf, expected);
    ktest_expect_eq(t, __FILE__, line, "returned length", "strlen(expected)", n,
                    (long long)strlen(expected));
}

/* The format attribute lets -Wformat check that each test passes the argument types it claims. */
static void check_format(struct ktest *t, int line, const char *expected, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void check_format(struct ktest *t, int line, const char *expected, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    check_vformat(t, line, expected, fmt, ap);
    va_end(ap);
}

/*
 * The same without the attribute, for calls GCC's format checks would reject
 * (fatally, with -Werror) precisely because they are odd on purpose: unknown
 * conversions, an empty format, a NULL %s, absurd widths.
 */
static void check_unchecked(struct ktest *t, int line, const char *expected, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    check_vformat(t, line, expected, fmt, ap);
    va_end(ap);
}

#define EXPECT_FORMAT(t, expected, ...)    check_format((t), __LINE__, (expected), __VA_ARGS__)
#define EXPECT_UNCHECKED(t, expected, ...) check_unchecked((t), __LINE__, (expected), __VA_ARGS__)

KTEST(printf, plain_text)
{
    EXPECT_UNCHECKED(t, "", "");
    EXPECT_FORMAT(t, "hello, world\n", "hello, world\n");
}

KTEST(printf, signed_decimal)
{
    EXPECT_FORMAT(t, "0", "%d", 0);
    EXPECT_FORMAT(t, "42", "%d", 42);
    EXPECT_FORMAT(t, "-42", "%d", -42);
    EXPECT_FORMAT(t, "7 -7", "%i %i", 7, -7);
    EXPECT_FORMAT(t, "2147483647", "%d", INT_MAX);
    EXPECT_FORMAT(t, "-2147483648", "%d", INT_MIN);
}

KTEST(printf, unsigned_and_hex)
{
    EXPECT_FORMAT(t, "0", "%u", 0u);
    EXPECT_FORMAT(t, "4294967295", "%u", UINT_MAX);
    EXPECT_FORMAT(t, "0 0", "%x %X", 0u, 0u);
    EXPECT_FORMAT(t, "deadbeef", "%x", 0xdeadbeefu);
    EXPECT_FORMAT(t, "DEADBEEF", "%X", 0xdeadbeefu);
    EXPECT_FORMAT(t, "ffffffff", "%x", UINT_MAX);
    /* A negative int read as unsigned: the two's complement bits. */
    EXPECT_FORMAT(t, "4294967295", "%u", (unsigned)-1);
}

KTEST(printf, length_l)
{
    EXPECT_FORMAT(t, "-9223372036854775808", "%ld", LONG_MIN);
    EXPECT_FORMAT(t, "9223372036854775807", "%ld", LONG_MAX);
    EXPECT_FORMAT(t, "18446744073709551615", "%lu", ULONG_MAX);
    EXPECT_FORMAT(t, "ffffffffffffffff", "%lx", ULONG_MAX);
    EXPECT_FORMAT(t, "-1 1", "%li %lu", -1L, 1UL);
}

KTEST(printf, length_ll)
{
    EXPECT_FORMAT(t, "-9223372036854775808", "%lld", LLONG_MIN);
    EXPECT_FORMAT(t, "9223372036854775807", "%lld", LLONG_MAX);
    EXPECT_FORMAT(t, "18446744073709551615", "%llu", ULLONG_MAX);
    EXPECT_FORMAT(t, "ffffffffffffffff", "%llx", ULLONG_MAX);
    EXPECT_FORMAT(t, "8000000000000000", "%llX", 1ULL << 63);
    EXPECT_FORMAT(t, "123456789ABCDEF0", "%llX", 0x123456789abcdef0ULL);
    EXPECT_FORMAT(t, "-9223372036854775808", "%lli", LLONG_MIN);
}

KTEST(printf, length_z)
{
    EXPECT_FORMAT(t, "18446744073709551615", "%zu", SIZE_MAX);
    EXPECT_FORMAT(t, "ffffffffffffffff", "%zx", SIZE_MAX);
    EXPECT_FORMAT(t, "0", "%zu", (size_t)0);
    EXPECT_FORMAT(t, "-5", "%zd", (ptrdiff_t)-5);
    EXPECT_FORMAT(t, "-9223372036854775808", "%zd", PTRDIFF_MIN);
    EXPECT_FORMAT(t, "9223372036854775807", "%zd", PTRDIFF_MAX);
}

/* h and hh: the promoted int is converted back to the narrow type before printing. */
KTEST(printf, length_h_hh)
{
    EXPECT_FORMAT(t, "-1", "%hhd", (signed char)-1);
    EXPECT_FORMAT(t, "-128 127", "%hhd %hhd", (signed char)SCHAR_MIN, (signed char)SCHAR_MAX);
    EXPECT_FORMAT(t, "255", "%hhu", (unsigned char)UCHAR_MAX);
    EXPECT_FORMAT(t, "-32768", "%hd", (short)SHRT_MIN);
    EXPECT_FORMAT(t, "65535 ffff", "%hu %hx", (unsigned short)USHRT_MAX, (unsigned short)0xffff);

    /* Wider ints are cut down; clang's -Wformat objects to the int arguments, hence unchecked. */
    EXPECT_UNCHECKED(t, "ff 2345", "%hhx %hx", 0x1ff, 0x12345);
    EXPECT_UNCHECKED(t, "-1 -25536", "%hhd %hd", 255, 40000);
}

/* Arguments of different sizes in one call must each be fetched with their own type. */
KTEST(printf, mixed_arguments)
{
    EXPECT_FORMAT(t, "1 -2 3 x four 5", "%d %lld %zu %c %s %u", 1, -2LL, (size_t)3, 'x', "four",
                  5u);
    EXPECT_FORMAT(t, "ram=0x40000000 size=128 MiB", "ram=%#x size=%llu MiB", 0x40000000u,
                  (134217728ULL >> 20));
}

KTEST(printf, width)
{
    EXPECT_FORMAT(t, "   42", "%5d", 42);
    EXPECT_FORMAT(t, "  -42", "%5d", -42);
    EXPECT_FORMAT(t, "42", "%1d", 42);
    EXPECT_FORMAT(t, "12345", "%3d", 12345); /* a width never truncates */
    EXPECT_FORMAT(t, "    beef", "%8x", 0xbeefu);
    EXPECT_FORMAT(t, "  abc", "%5s", "abc");
    EXPECT_FORMAT(t, "    x", "%5c", 'x');
}

KTEST(printf, zero_padding)
{
    EXPECT_FORMAT(t, "00042", "%05d", 42);
    EXPECT_FORMAT(t, "-0042", "%05d", -42); /* the sign goes before the zeros */
    EXPECT_FORMAT(t, "0000beef", "%08x", 0xbeefu);
    EXPECT_FORMAT(t, "00000000", "%08x", 0u);
    EXPECT_FORMAT(t, "-9223372036854775808", "%020lld", LLONG_MIN); /* exactly fills */
    EXPECT_FORMAT(t, "000018446744073709551615", "%024llu", ULLONG_MAX);
}

KTEST(printf, left_alignment)
{
    EXPECT_FORMAT(t, "42   |", "%-5d|", 42);
    EXPECT_FORMAT(t, "-42  |", "%-5d|", -42);
    EXPECT_FORMAT(t, "beef    |", "%-8x|", 0xbeefu);
    EXPECT_FORMAT(t, "abc  |", "%-5s|", "abc");
    EXPECT_FORMAT(t, "x    |", "%-5c|", 'x');
}

/* GCC's -Wformat rightly warns that '0' is ignored with '-'; the point here is that it is. */
KTEST(printf, left_alignment_beats_zero)
{
    EXPECT_UNCHECKED(t, "42   |", "%-05d|", 42);
    EXPECT_UNCHECKED(t, "42   |", "%0-5d|", 42);
}

KTEST(printf, star_width)
{
    EXPECT_FORMAT(t, "   42", "%*d", 5, 42);
    EXPECT_FORMAT(t, "42   |", "%*d|", -5, 42); /* a negative '*' width means left alignment */
    EXPECT_FORMAT(t, "42   |", "%-*d|", 5, 42);
    EXPECT_FORMAT(t, "-00007", "%0*d", 6, -7);
    EXPECT_FORMAT(t, "    ab", "%*s", 6, "ab");
    EXPECT_FORMAT(t, "ab    |", "%*s|", -6, "ab");
    EXPECT_FORMAT(t, "7", "%*d", 0, 7);
}

/*
 * Widths are capped at 4096 characters so a garbage width cannot flood the
 * console. Buffer size 0 measures the output without storing it.
 */
static int measure_unchecked(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = kvsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    return n;
}

KTEST(printf, width_is_capped)
{
    KTEST_EXPECT_EQ(t, measure_unchecked("%*d", 5000, 1), 4096);
    KTEST_EXPECT_EQ(t, measure_unchecked("%*d", INT_MIN, 1), 4096);
    KTEST_EXPECT_EQ(t, measure_unchecked("%*d", INT_MAX, 1), 4096);
    KTEST_EXPECT_EQ(t, measure_unchecked("%4096d", 1), 4096);
    KTEST_EXPECT_EQ(t, measure_unchecked("%.5000d", 1), 4096);
    /* Too many digits for an int: must saturate, not overflow (UBSan would see it). */
    KTEST_EXPECT_EQ(t, measure_unchecked("%99999999999999999999d", 1), 4096);
}

KTEST(printf, sign_flags)
{
    EXPECT_FORMAT(t, "+5 -5", "%+d %+d", 5, -5);
    EXPECT_FORMAT(t, " 5 -5", "% d % d", 5, -5);
    EXPECT_FORMAT(t, "+0", "%+d", 0);
    EXPECT_FORMAT(t, "+0042", "%+05d", 42);
}

KTEST(printf, alternate_hex)
{
    EXPECT_FORMAT(t, "0xff", "%#x", 0xffu);
    EXPECT_FORMAT(t, "0XFF", "%#X", 0xffu);
    EXPECT_FORMAT(t, "0", "%#x", 0u); /* C gives no prefix for zero */
    EXPECT_FORMAT(t, "0x000000ff", "%#010x", 0xffu);
    EXPECT_FORMAT(t, "      0xff", "%#10x", 0xffu);
    EXPECT_FORMAT(t, "0xffffffffffffffff", "%#llx", ULLONG_MAX);
}

KTEST(printf, integer_precision)
{
    EXPECT_FORMAT(t, "007", "%.3d", 7);
    EXPECT_FORMAT(t, "-007", "%.3d", -7);
    EXPECT_FORMAT(t, " -007", "%5.3d", -7);
    EXPECT_FORMAT(t, "12345", "%.3d", 12345);
    EXPECT_FORMAT(t, "", "%.0d", 0); /* C: zero with precision 0 has no digits */
    EXPECT_FORMAT(t, "   ", "%3.0d", 0);
    EXPECT_FORMAT(t, "0000ff", "%.6x", 0xffu);
    EXPECT_FORMAT(t, "007", "%.*d", 3, 7);
    EXPECT_FORMAT(t, "7", "%.*d", -3, 7); /* a negative precision counts as none */
}

/* GCC warns that '0' is ignored with a precision; the point here is that it is. */
KTEST(printf, precision_beats_zero)
{
    EXPECT_UNCHECKED(t, "  007", "%05.3d", 7);
}

KTEST(printf, pointer)
{
    EXPECT_FORMAT(t, "0x0000000000000000", "%p", (void *)0);
    EXPECT_FORMAT(t, "0x000000001234abcd", "%p", (void *)0x1234abcd);
    EXPECT_FORMAT(t, "0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
    EXPECT_FORMAT(t, "0xffff000040080000", "%p", (void *)0xffff000040080000ULL);
    EXPECT_FORMAT(t, "  0x0000000000001000", "%20p", (void *)0x1000);
    EXPECT_FORMAT(t, "0x0000000000001000  |", "%-20p|", (void *)0x1000);
}

KTEST(printf, strings)
{
    const char *null_string = NULL;

    EXPECT_FORMAT(t, "hello", "%s", "hello");
    EXPECT_FORMAT(t, "", "%s", "");
    EXPECT_FORMAT(t, "[]", "[%s]", "");
    EXPECT_UNCHECKED(t, "(null)", "%s", null_string);
    EXPECT_UNCHECKED(t, "  (null)", "%8s", null_string);
    EXPECT_FORMAT(t, "a%db", "a%sb", "%d"); /* the argument is not itself a format */
}

KTEST(printf, string_precision)
{
    /* Not NUL-terminated: a precision bounds the read, and ASan checks it stays in bounds. */
    const char unterminated[4] = {'a', 'b', 'c', 'd'};

    EXPECT_FORMAT(t, "abc", "%.3s", "abcdef");
    EXPECT_FORMAT(t, "abc", "%.10s", "abc");
    EXPECT_FORMAT(t, "", "%.0s", "abc");
    EXPECT_FORMAT(t, "ab", "%.*s", 2, "abcdef");
    EXPECT_FORMAT(t, "abcdef", "%.*s", -1, "abcdef");
    EXPECT_FORMAT(t, "     abc", "%8.3s", "abcdef");
    EXPECT_FORMAT(t, "abc     |", "%-8.3s|", "abcdef");
    EXPECT_FORMAT(t, "abcd", "%.4s", unterminated);
    EXPECT_FORMAT(t, "bc", "%.*s", 2, unterminated + 1);
}

KTEST(printf, characters)
{
    EXPECT_FORMAT(t, "x", "%c", 'x');
    EXPECT_FORMAT(t, "abc", "%c%c%c", 'a', 'b', 'c');
    EXPECT_FORMAT(t, "\xe9", "%c", 0xe9); /* only the low byte of the int is printed */

    /* A NUL character is output and counted like any other. */
    char buf[8];
    const char expected[4] = {'a', '\0', 'b', '\0'};
    KTEST_EXPECT_EQ(t, ksnprintf(buf, sizeof(buf), "a%cb", '\0'), 3);
    KTEST_EXPECT_MEMEQ(t, buf, expected, sizeof(expected));
}

KTEST(printf, percent)
{
    EXPECT_FORMAT(t, "%", "%%");
    EXPECT_FORMAT(t, "100%", "%d%%", 100);
    EXPECT_FORMAT(t, "%d", "%%d");
    EXPECT_FORMAT(t, "%%", "%%%%");
}

/* Unknown or unfinished directives are printed as written, without consuming an argument. */
KTEST(printf, unknown_conversion)
{
    EXPECT_UNCHECKED(t, "%q", "%q");
    EXPECT_UNCHECKED(t, "a%qb", "a%qb");
    EXPECT_UNCHECKED(t, "%-5q", "%-5q");
    EXPECT_UNCHECKED(t, "%lq", "%lq");
    EXPECT_UNCHECKED(t, "%q 7", "%q %d", 7);
    EXPECT_UNCHECKED(t, "%o", "%o", 8); /* octal is not supported */
    EXPECT_UNCHECKED(t, "abc%", "abc%");
    EXPECT_UNCHECKED(t, "%-", "%-");
    EXPECT_UNCHECKED(t, "x%08ll", "x%08ll");
}

/*
 * For every buffer size from 0 to past the full length: the return value is
 * always the full length, the stored text is the longest prefix that fits
 * with its NUL, and nothing is written at or after buf[size].
 */
KTEST(printf, truncation_every_size)
{
    const char *full = "id=42, name=ktest, addr=0xbeef";
    const size_t full_len = strlen(full);
    const unsigned char canary = 0xa5;
    char buf[48];

    for (size_t size = 0; size <= full_len + 2; size++) {
        memset(buf, canary, sizeof(buf));
        int n = ksnprintf(buf, size, "id=%d, name=%s, addr=%#x", 42, "ktest", 0xbeefu);
        KTEST_EXPECT_EQ(t, n, full_len);

        if (size > 0) {
            size_t stored = size - 1 < full_len ? size - 1 : full_len;
            KTEST_EXPECT_MEMEQ(t, buf, full, stored);
            KTEST_EXPECT_EQ(t, buf[stored], '\0');
        }
        for (size_t i = size; i < sizeof(buf); i++) {
            if ((unsigned char)buf[i] != canary) {
                ktest_fail(t, __FILE__, __LINE__, "size %zu: byte %zu written", size, i);
                return;
            }
        }
    }
}

/* NULL with size 0 is the C idiom for measuring: nothing may be written. */
KTEST(printf, measure_with_null_buffer)
{
    KTEST_EXPECT_EQ(t, ksnprintf(NULL, 0, "%s-%d", "abc", 12345), 9);
    KTEST_EXPECT_EQ(t, ksnprintf(NULL, 0, "%s", ""), 0);
}

KTEST(printf, size_one_gives_empty_string)
{
    char buf[2] = {'x', 'y'};

    KTEST_EXPECT_EQ(t, ksnprintf(buf, 1, "%s", "hello"), 5);
    KTEST_EXPECT_EQ(t, buf[0], '\0');
    KTEST_EXPECT_EQ(t, buf[1], 'y');
}

struct record_sink {
    char text[32];
    int calls;
};

static void record_char(void *ctx, char c)
{
    struct record_sink *r = ctx;

    if (r->calls < (int)sizeof(r->text) - 1) {
        r->text[r->calls] = c;
        r->text[r->calls + 1] = '\0';
    }
    r->calls++;
}

static int format_to_sink(struct record_sink *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int format_to_sink(struct record_sink *r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vformat(record_char, r, fmt, ap);
    va_end(ap);
    return n;
}

/* vformat hands each character to the sink once and returns how many it handed over. */
KTEST(printf, vformat_sink)
{
    struct record_sink r = {.text = "", .calls = 0};

    KTEST_EXPECT_EQ(t, format_to_sink(&r, "<%5s|%-3d>", "ab", 7), 11);
    KTEST_EXPECT_EQ(t, r.calls, 11);
    KTEST_EXPECT_STREQ(t, r.text, "<   ab|7  >");

    r.calls = 0;
    KTEST_EXPECT_EQ(t, format_to_sink(&r, "%s", ""), 0);
    KTEST_EXPECT_EQ(t, r.calls, 0);
}
