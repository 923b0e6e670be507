/*
 * kprintf: formatted output to the kernel console. A "\n" becomes "\r\n",
 * which serial terminals need to return to the first column.
 */
#include "hal/console.h"
#include "hal/irq.h"
#include "lib/printf.h"

static void console_sink(void *ctx, char c)
{
    (void)ctx;
    if (c == '\n') {
        hal_console_putc('\r');
    }
    hal_console_putc(c);
}

/* Interrupts stay masked for the whole message, so a preempted thread's
 * line is never cut in two by another thread's. */
int kvprintf(const char *fmt, va_list ap)
{
    unsigned long flags = hal_irq_save();
    int n = vformat(console_sink, NULL, fmt, ap);

    hal_irq_restore(flags);
    return n;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}
