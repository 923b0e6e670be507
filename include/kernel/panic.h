/* When the kernel itself is wrong: report and stop. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

/*
 * Prints "KERNEL PANIC: <message>" with a symbolized backtrace of the caller,
 * then powers off with POWER_EXIT_PANIC. Never returns. For kernel bugs only:
 * bad input from a user program must return an error code instead.
 */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* Panics with the expression and its location when cond is false. */
#define KASSERT(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__);                      \
        }                                                                                          \
    } while (0)

#endif
