/*
 * QEMU virt wiring: which driver serves the console, at which address.
 * The early console uses QEMU's fixed UART address; hal_console_init()
 * moves to whatever UART the device tree names.
 */
#include "drivers/pl011.h"
#include "hal/console.h"
#include "hal/cpu.h"
#include "hal/memory.h"
#include "hal/platform.h"
#include "kernel/boot_info.h"
#include "memory_map.h"

static struct pl011 console_uart;

void platform_early_console_init(void)
{
    pl011_init(&console_uart, hal_phys_to_virt(VIRT_UART0_BASE), VIRT_UART_CLOCK_HZ,
               VIRT_UART_BAUD);
}

uint64_t platform_ram_base(void)
{
    return VIRT_RAM_BASE;
}

const char *hal_platform_name(void)
{
    return "aarch64 QEMU virt";
}

void hal_console_init(const struct boot_info *bi)
{
    if (bi->uart_base && bi->uart_base != VIRT_UART0_BASE) {
        pl011_init(&console_uart, hal_phys_to_virt(bi->uart_base), VIRT_UART_CLOCK_HZ,
                   VIRT_UART_BAUD);
    }
}

void hal_console_putc(char c)
{
    if (console_uart.regs) {
        pl011_putc(&console_uart, c);
    }
}
