/* panic(): the kernel found itself in a state it cannot go on from. */
#include "kernel/panic.h"

#include <stdarg.h>

#include "hal/power.h"
#include "kernel/ksyms.h"
#include "lib/printf.h"

void panic(const char *fmt, ...)
{
    va_list ap;

    kprintf("\n*** KERNEL PANIC: ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf(" ***\n");
    /* panic's own frame record leads to its caller, where the trouble is. */
    backtrace_print(0, (uint64_t)(uintptr_t)__builtin_frame_address(0));
    hal_power_off(POWER_EXIT_PANIC);
}
