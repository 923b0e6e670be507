/*
 * The kernel's console: a serial port the platform picks (the PL011 UART on
 * QEMU virt). Output is polled, so it works from any context, even in the
 * middle of an exception report.
 */
#ifndef HAL_CONSOLE_H
#define HAL_CONSOLE_H

struct boot_info;

/* Switches the console to the UART the device tree names. Output already
 * works before this call, through the platform's default early UART. */
void hal_console_init(const struct boot_info *bi);

/* Writes one character, waiting while the transmit FIFO is full. */
void hal_console_putc(char c);

#endif
