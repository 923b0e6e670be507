/* Reading words and key=value pairs out of the kernel command line. */
#include "kernel/cmdline.h"

#include "lib/string.h"

/* Steps over spaces, then returns the length of the word at *p. */
static size_t next_word(const char **p)
{
    size_t len = 0;

    while (**p == ' ' || **p == '\t') {
        (*p)++;
    }
    while ((*p)[len] && (*p)[len] != ' ' && (*p)[len] != '\t') {
        len++;
    }
    return len;
}

bool cmdline_has_flag(const char *cmdline, const char *flag)
{
    size_t flag_len = strlen(flag);

    for (const char *p = cmdline;;) {
        size_t len = next_word(&p);
        if (len == 0) {
            return false;
        }
        if (len == flag_len && strncmp(p, flag, len) == 0) {
            return true;
        }
        p += len;
    }
}

/* Finds the last word "key=...", returning its value and length, or NULL. */
static const char *find_value(const char *cmdline, const char *key, size_t *value_len)
{
    size_t key_len = strlen(key);
    const char *found = NULL;

    for (const char *p = cmdline;;) {
        size_t len = next_word(&p);
        if (len == 0) {
            return found;
        }
        if (len > key_len && p[key_len] == '=' && strncmp(p, key, key_len) == 0) {
            found = p + key_len + 1;
            *value_len = len - key_len - 1;
        }
        p += len;
    }
}

bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
    size_t len;
    const char *value = find_value(cmdline, key, &len);

    if (!value || size == 0) {
        return false;
    }
    if (len >= size) {
        len = size - 1;
    }
    memcpy(buf, value, len);
    buf[len] = '\0';
    return true;
}

bool cmdline_get_u64(const char *cmdline, const char *key, uint64_t *value)
{
    size_t len;
    const char *s = find_value(cmdline, key, &len);
    unsigned base = 10;
    uint64_t result = 0;

    if (!s || len == 0) {
        return false;
    }
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        len -= 2;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned digit;
        char c = s[i];
        if (c >= '0' && c <= '9') {
            digit = (unsigned)(c - '0');
        } else if (base == 16 && c >= 'a' && c <= 'f') {
            digit = (unsigned)(c - 'a' + 10);
        } else if (base == 16 && c >= 'A' && c <= 'F') {
            digit = (unsigned)(c - 'A' + 10);
        } else {
            return false;
        }
        if (result > (UINT64_MAX - digit) / base) {
            return false; /* would overflow */
        }
        result = result * base + digit;
    }
    *value = result;
    return true;
}
