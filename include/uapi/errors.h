/*
 * The one list of error codes shared by the kernel, its libraries and
 * user programs. Every fallible function returns 0 or a positive value on
 * success and one of these negative codes on failure.
 *
 * The list is an X-macro so the enum and the name table can never drift apart:
 * add a line here and both error_name() and error_string() know about it.
 */
#ifndef UAPI_ERRORS_H
#define UAPI_ERRORS_H

#define ERROR_LIST(X)                                                                              \
    X(E_INVAL, 1, "invalid argument")                                                              \
    X(E_FAULT, 2, "bad address")                                                                   \
    X(E_NOSYS, 3, "no such system call")                                                           \
    X(E_NOMEM, 4, "out of memory")                                                                 \
    X(E_FULL, 5, "queue full")                                                                     \
    X(E_EMPTY, 6, "queue empty")                                                                   \
    X(E_DEAD, 7, "peer or object is dead")                                                         \
    X(E_PERM, 8, "permission denied")                                                              \
    X(E_BADHANDLE, 9, "bad handle")                                                                \
    X(E_NOENT, 10, "no such entry")                                                                \
    X(E_BADFMT, 11, "malformed data")                                                              \
    X(E_RANGE, 12, "value out of range")                                                           \
    X(E_BUSY, 13, "resource busy")                                                                 \
    X(E_NOSPC, 14, "no space left")

enum error_code {
#define ERROR_ENUM(name, num, text) name = -(num),
    ERROR_LIST(ERROR_ENUM)
#undef ERROR_ENUM
};

/* The codes are -1 down to E_LOWEST, with no gaps (tests/ktest/test_errors.c
 * checks): a result below E_LOWEST is no error code at all. */
enum {
#define ERROR_ONE(name, num, text) +1
    ERROR_COUNT = 0 ERROR_LIST(ERROR_ONE),
#undef ERROR_ONE
    E_LOWEST = -ERROR_COUNT,
};

#endif
