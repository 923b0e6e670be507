/* Turns error codes back into words for reports and test output. */
#include "lib/errors.h"

struct error_entry {
    int code;
    const char *name;
    const char *text;
};

static const struct error_entry error_table[] = {
#define ERROR_ENTRY(name, num, text) {-(num), #name, text},
    ERROR_LIST(ERROR_ENTRY)
#undef ERROR_ENTRY
};

static const struct error_entry *error_lookup(int err)
{
    for (unsigned i = 0; i < sizeof(error_table) / sizeof(error_table[0]); i++) {
        if (error_table[i].code == err) {
            return &error_table[i];
        }
    }
    return 0;
}

const char *error_name(int err)
{
    if (err >= 0) {
        return "OK";
    }
    const struct error_entry *e = error_lookup(err);
    return e ? e->name : "E_?";
}

const char *error_string(int err)
{
    if (err >= 0) {
        return "success";
    }
    const struct error_entry *e = error_lookup(err);
    return e ? e->text : "unknown error";
}
