/* The shared error list: names and descriptions for every code. */
#include "lib/errors.h"
#include "lib/ktest.h"
#include "lib/string.h"

KTEST(errors, names_and_strings)
{
    KTEST_EXPECT_STREQ(t, error_name(E_INVAL), "E_INVAL");
    KTEST_EXPECT_STREQ(t, error_name(E_DEAD), "E_DEAD");
    KTEST_EXPECT_STREQ(t, error_name(0), "OK");
    KTEST_EXPECT_STREQ(t, error_name(-999), "E_?");
    KTEST_EXPECT_STREQ(t, error_string(E_FULL), "queue full");
    KTEST_EXPECT_STREQ(t, error_string(-999), "unknown error");
}

KTEST(errors, codes_are_distinct_and_negative)
{
    static const int codes[] = {
#define ERROR_CODE(name, num, text) name,
        ERROR_LIST(ERROR_CODE)
#undef ERROR_CODE
    };
    unsigned n = sizeof(codes) / sizeof(codes[0]);

    for (unsigned i = 0; i < n; i++) {
        KTEST_EXPECT_TRUE(t, codes[i] < 0);
        KTEST_EXPECT_NE(t, strcmp(error_name(codes[i]), "E_?"), 0);
        KTEST_EXPECT_NE(t, strcmp(error_string(codes[i]), "unknown error"), 0);
        for (unsigned j = i + 1; j < n; j++) {
            KTEST_EXPECT_NE(t, codes[i], codes[j]);
        }
    }
}

KTEST(errors, codes_run_from_minus_one_to_e_lowest_without_gaps)
{
    /* usertest trusts this: a result below E_LOWEST is no error code at all. */
    for (int code = -1; code >= E_LOWEST; code--) {
        KTEST_EXPECT_NE(t, strcmp(error_name(code), "E_?"), 0);
    }
    KTEST_EXPECT_STREQ(t, error_name(E_LOWEST - 1), "E_?");
}
