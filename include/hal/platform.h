/*
 * What the platform (platform/<board>/) offers the architecture's boot code:
 * an early console and the board's memory-map defaults. The board-specific
 * knowledge lives there; the arch code stays the same across boards.
 */
#ifndef HAL_PLATFORM_H
#define HAL_PLATFORM_H

#include <stdint.h>

/* Starts console output on the board's default UART, before the device tree is read. */
void platform_early_console_init(void);

/* Physical base of the board's first RAM bank, where QEMU puts the DTB for ELF kernels. */
uint64_t platform_ram_base(void);

#endif
