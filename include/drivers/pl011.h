/*
 * The ARM PrimeCell PL011 UART, as QEMU virt has at 0x09000000. Polled only:
 * the kernel's console never waits for an interrupt, so it works anywhere,
 * even inside an exception report. (An interrupt-driven UART server in user
 * mode is the microkernel way for everything beyond the kernel's own log.)
 */
#ifndef DRIVERS_PL011_H
#define DRIVERS_PL011_H

#include <stdint.h>

struct pl011 {
    volatile uint32_t *regs; /* the MMIO block, mapped as Device memory */
};

/* Programs 8N1, FIFOs on, TX and RX enabled. uart_clock_hz and baud pick the divisor. */
void pl011_init(struct pl011 *uart, void *mmio, uint32_t uart_clock_hz, uint32_t baud);

/* Sends one byte, waiting while the transmit FIFO is full. */
void pl011_putc(struct pl011 *uart, char c);

#endif
