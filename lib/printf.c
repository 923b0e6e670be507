/*
 * The formatter behind kprintf and ksnprintf. It parses one conversion at a
 * time into a struct fmt_spec, fetches the argument with the right type and
 * hands the result to an emitter for numbers or strings, which takes care of
 * width and alignment. Output goes one character at a time to a sink, so the
 * formatter itself never needs a buffer.
 *
 * Beyond what printf.h promises, it also accepts the flags '+', ' ' and '#',
 * the length modifiers h and hh, and a precision (minimum digits for
 * integers, maximum characters for %s), all with their C meaning: -Wformat
 * accepts them, so a kernel author may well write them.
 */
#include "lib/printf.h"

#include <stdbool.h>
#include <stdint.h>

#include "lib/string.h"

/*
 * Widths and precisions are capped here (so "%.*s" also prints at most this
 * many characters). A field wider than this is almost surely a bug in the
 * caller, say a garbage '*' argument; the cap keeps such a bug from flooding
 * the console with spaces and keeps the arithmetic far from int overflow.
 */
#define FMT_MAX_FIELD 4096

enum fmt_length { LEN_CHAR, LEN_SHORT, LEN_INT, LEN_LONG, LEN_LLONG, LEN_SIZE };

struct fmt_spec {
    bool left;  /* '-': pad on the right */
    bool zero;  /* '0': pad numbers with zeros instead of spaces */
    bool plus;  /* '+': show a sign on non-negative numbers */
    bool space; /* ' ': a space where a '+' would go */
    bool alt;   /* '#': 0x prefix for non-zero hex */
    int width;
    int precision; /* -1 when absent */
    enum fmt_length length;
    char conv; /* the conversion character, or '\0' if the format ended */
};

struct fmt_out {
    printf_sink_fn sink;
    void *ctx;
    int count;
};

static void put_char(struct fmt_out *out, char c)
{
    out->sink(out->ctx, c);
    out->count++;
}

static void put_chars(struct fmt_out *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        put_char(out, s[i]);
    }
}

static void put_repeat(struct fmt_out *out, char c, int n)
{
    for (int i = 0; i < n; i++) {
        put_char(out, c);
    }
}

static bool parse_flag(struct fmt_spec *spec, char c)
{
    switch (c) {
    case '-':
        spec->left = true;
        return true;
    case '0':
        spec->zero = true;
        return true;
    case '+':
        spec->plus = true;
        return true;
    case ' ':
        spec->space = true;
        return true;
    case '#':
        spec->alt = true;
        return true;
    default:
        return false;
    }
}

/* Reads a run of digits, saturating at FMT_MAX_FIELD so "%99999999999d" cannot overflow. */
static int parse_count(const char **p)
{
    int n = 0;

    while (**p >= '0' && **p <= '9') {
        if (n < FMT_MAX_FIELD) {
            n = n * 10 + (**p - '0');
        }
        (*p)++;
    }
    return n < FMT_MAX_FIELD ? n : FMT_MAX_FIELD;
}

static int clamp_field(long long n)
{
    return n < FMT_MAX_FIELD ? (int)n : FMT_MAX_FIELD;
}

/*
 * Parses the directive that starts just after a '%' and returns a pointer to
 * its conversion character (or to the terminating NUL of a truncated format).
 * A '*' width or precision takes its value from the arguments.
 */
static const char *parse_spec(const char *p, struct fmt_spec *spec, va_list *ap)
{
    *spec = (struct fmt_spec){.precision = -1, .length = LEN_INT};

    while (parse_flag(spec, *p)) {
        p++;
    }

    if (*p == '*') {
        /* Widened first: negating INT_MIN as an int would overflow. */
        long long w = va_arg(*ap, int);
        if (w < 0) {
            spec->left = true; /* C: a negative '*' width means '-' */
            w = -w;
        }
        spec->width = clamp_field(w);
        p++;
    } else {
        spec->width = parse_count(&p);
    }

    if (*p == '.') {
        p++;
        if (*p == '*') {
            int prec = va_arg(*ap, int);
            spec->precision = prec < 0 ? -1 : clamp_field(prec); /* negative: as if absent */
            p++;
        } else {
            spec->precision = parse_count(&p);
        }
    }

    if (*p == 'h') {
        p++;
        spec->length = LEN_SHORT;
        if (*p == 'h') {
            p++;
            spec->length = LEN_CHAR;
        }
    } else if (*p == 'l') {
        p++;
        spec->length = LEN_LONG;
        if (*p == 'l') {
            p++;
            spec->length = LEN_LLONG;
        }
    } else if (*p == 'z') {
        p++;
        spec->length = LEN_SIZE;
    }

    spec->conv = *p;
    return p;
}

/* Arguments narrower than int arrive promoted to int, so h and hh convert back down. */
static long long fetch_signed(enum fmt_length length, va_list *ap)
{
    switch (length) {
    case LEN_CHAR:
        return (signed char)va_arg(*ap, int);
    case LEN_SHORT:
        return (short)va_arg(*ap, int);
    case LEN_LONG:
        return va_arg(*ap, long);
    case LEN_LLONG:
        return va_arg(*ap, long long);
    case LEN_SIZE:
        return va_arg(*ap, ptrdiff_t); /* the signed type of size_t's width */
    default:
        return va_arg(*ap, int);
    }
}

static unsigned long long fetch_unsigned(enum fmt_length length, va_list *ap)
{
    switch (length) {
    case LEN_CHAR:
        return (unsigned char)va_arg(*ap, int);
    case LEN_SHORT:
        return (unsigned short)va_arg(*ap, int);
    case LEN_LONG:
        return va_arg(*ap, unsigned long);
    case LEN_LLONG:
        return va_arg(*ap, unsigned long long);
    case LEN_SIZE:
        return va_arg(*ap, size_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

/*
 * Prints prefix (a sign or "0x"), then the digits of value, laid out as
 * [spaces][prefix][zeros][digits][spaces]. The zeros come from the precision
 * (minimum digit count) or, with the '0' flag, from the field width.
 */
static void emit_number(struct fmt_out *out, const struct fmt_spec *spec, unsigned long long value,
                        const char *prefix)
{
    const char *digit_set = spec->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned base = (spec->conv == 'x' || spec->conv == 'X') ? 16 : 10;
    char digits[20]; /* 2^64 - 1 has 20 decimal digits */
    int ndigits = 0;

    /* Least significant digit first; printed in reverse below. A zero yields no digits here. */
    while (value != 0) {
        digits[ndigits++] = digit_set[value % base];
        value /= base;
    }

    /* Without a precision at least one digit shows; "%.0d" prints nothing for 0, as in C. */
    int min_digits = spec->precision >= 0 ? spec->precision : 1;
    int zeros = min_digits > ndigits ? min_digits - ndigits : 0;
    int prefix_len = (int)strlen(prefix);
    int pad = spec->width - (prefix_len + zeros + ndigits);

    /* As in C, an explicit precision overrides the '0' flag. */
    if (pad > 0 && spec->zero && !spec->left && spec->precision < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!spec->left) {
        put_repeat(out, ' ', pad);
    }
    put_chars(out, prefix, (size_t)prefix_len);
    put_repeat(out, '0', zeros);
    while (ndigits > 0) {
        put_char(out, digits[--ndigits]);
    }
    if (spec->left) {
        put_repeat(out, ' ', pad);
    }
}

static void emit_signed(struct fmt_out *out, const struct fmt_spec *spec, long long value)
{
    /* Negate in unsigned arithmetic: -LLONG_MIN does not fit in a long long. */
    unsigned long long magnitude =
        value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
    const char *sign = value < 0 ? "-" : spec->plus ? "+" : spec->space ? " " : "";

    emit_number(out, spec, magnitude, sign);
}

static void emit_unsigned(struct fmt_out *out, const struct fmt_spec *spec,
                          unsigned long long value)
{
    const char *prefix = "";

    if (spec->alt && value != 0) {
        prefix = spec->conv == 'X' ? "0X" : spec->conv == 'x' ? "0x" : "";
    }
    emit_number(out, spec, value, prefix);
}

/* Pointers are always 16 hex digits, so addresses line up in dumps and logs. */
static void emit_pointer(struct fmt_out *out, const struct fmt_spec *spec, const void *ptr)
{
    struct fmt_spec hex = *spec;

    hex.conv = 'x';
    hex.precision = 16;
    emit_number(out, &hex, (uintptr_t)ptr, "0x");
}

static void emit_string(struct fmt_out *out, const struct fmt_spec *spec, const char *s, size_t len)
{
    int pad = len < (size_t)spec->width ? spec->width - (int)len : 0;

    if (!spec->left) {
        put_repeat(out, ' ', pad);
    }
    put_chars(out, s, len);
    if (spec->left) {
        put_repeat(out, ' ', pad);
    }
}

/* Returns false for a conversion character it does not know. */
static bool emit_conversion(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
    switch (spec->conv) {
    case 'd':
    case 'i':
        emit_signed(out, spec, fetch_signed(spec->length, ap));
        return true;
    case 'u':
    case 'x':
    case 'X':
        emit_unsigned(out, spec, fetch_unsigned(spec->length, ap));
        return true;
    case 'p':
        emit_pointer(out, spec, va_arg(*ap, void *));
        return true;
    case 's': {
        const char *s = va_arg(*ap, const char *);
        if (!s) {
            s = "(null)";
        }
        /* strnlen, not strlen: with a precision, s need not be NUL-terminated. */
        size_t len = spec->precision >= 0 ? strnlen(s, (size_t)spec->precision) : strlen(s);
        emit_string(out, spec, s, len);
        return true;
    }
    case 'c': {
        char c = (char)va_arg(*ap, int);
        emit_string(out, spec, &c, 1);
        return true;
    }
    case '%':
        put_char(out, '%');
        return true;
    default:
        return false;
    }
}

int vformat(printf_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
    struct fmt_out out = {.sink = sink, .ctx = ctx, .count = 0};
    struct fmt_spec spec;
    va_list args;

    /*
     * The helpers take a va_list pointer so that they all consume the same
     * arguments. A parameter of type va_list may really be a pointer (it is
     * an array type on x86-64), so point at a local copy instead.
     */
    va_copy(args, ap);
    for (const char *p = fmt; *p != '\0'; p++) {
        if (*p != '%') {
            put_char(&out, *p);
            continue;
        }
        const char *start = p;
        p = parse_spec(p + 1, &spec, &args);
        if (spec.conv == '\0') {
            /* The format ends inside a directive: show what there was, and stop. */
            put_chars(&out, start, (size_t)(p - start));
            break;
        }
        if (!emit_conversion(&out, &spec, &args)) {
            /* Print an unknown directive as written so the mistake is visible. */
            put_chars(&out, start, (size_t)(p - start) + 1);
        }
    }
    va_end(args);
    return out.count;
}

struct buf_sink {
    char *buf;
    size_t size;
    size_t len; /* characters produced so far, stored or not */
};

static void buf_sink_put(void *ctx, char c)
{
    struct buf_sink *b = ctx;

    /* Keep the last byte for the terminator, but go on counting. */
    if (b->len + 1 < b->size) {
        b->buf[b->len] = c;
    }
    b->len++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buf_sink b = {.buf = buf, .size = size, .len = 0};
    int n = vformat(buf_sink_put, &b, fmt, ap);

    if (size > 0) {
        buf[b.len < size ? b.len : size - 1] = '\0';
    }
    return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
