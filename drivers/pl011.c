/*
 * PL011 UART driver (ARM DDI 0183, the PrimeCell UART Technical Reference
 * Manual). Register offsets are in bytes; each register is 32 bits wide.
 */
#include "drivers/pl011.h"

#define UART_DR    0x00 /* data: write to send, read to receive */
#define UART_FR    0x18 /* flags */
#define UART_IBRD  0x24 /* integer baud rate divisor */
#define UART_FBRD  0x28 /* fractional baud rate divisor */
#define UART_LCR_H 0x2c /* line control */
#define UART_CR    0x30 /* control */
#define UART_IMSC  0x38 /* interrupt mask */
#define UART_ICR   0x44 /* interrupt clear */

#define FR_BUSY    (1u << 3)
#define FR_TXFF    (1u << 5) /* transmit FIFO full */
#define LCR_FEN    (1u << 4) /* FIFOs enabled */
#define LCR_WLEN_8 (3u << 5)
#define CR_UARTEN  (1u << 0)
#define CR_TXE     (1u << 8)
#define CR_RXE     (1u << 9)

static uint32_t reg_read(struct pl011 *uart, unsigned offset)
{
    return uart->regs[offset / 4];
}

static void reg_write(struct pl011 *uart, unsigned offset, uint32_t value)
{
    uart->regs[offset / 4] = value;
}

void pl011_init(struct pl011 *uart, void *mmio, uint32_t uart_clock_hz, uint32_t baud)
{
    uart->regs = mmio;

    /* The TRM's order: disable, let the last character go, program, enable. */
    reg_write(uart, UART_CR, 0);
    while (reg_read(uart, UART_FR) & FR_BUSY) {
    }
    /* Divisor = clock / (16 * baud), with a 6-bit fraction, rounded. */
    uint32_t div64 = (uint32_t)(((uint64_t)uart_clock_hz * 4 + baud / 2) / baud);
    reg_write(uart, UART_IBRD, div64 >> 6);
    reg_write(uart, UART_FBRD, div64 & 0x3f);
    reg_write(uart, UART_LCR_H, LCR_WLEN_8 | LCR_FEN);
    reg_write(uart, UART_IMSC, 0);
    reg_write(uart, UART_ICR, 0x7ff);
    reg_write(uart, UART_CR, CR_UARTEN | CR_TXE | CR_RXE);
}

void pl011_putc(struct pl011 *uart, char c)
{
    while (reg_read(uart, UART_FR) & FR_TXFF) {
    }
    reg_write(uart, UART_DR, (uint8_t)c);
}
