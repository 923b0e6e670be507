/*
 * Interrupt handlers in the core. A driver (or the scheduler, for the
 * timer) registers a handler for an interrupt number; kernel_irq() calls
 * it. An interrupt that fires with no handler is reported once and masked,
 * so a device nobody drives can never cause an interrupt storm.
 *
 * The handler table is shared kernel state: registering, unregistering and
 * reserving need the kernel lock (include/kernel/klock.h). Handlers run
 * with it held, interrupts masked.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#define IRQ_MAX 1020

typedef void (*irq_handler_fn)(uint32_t irq, void *ctx);

/* Installs handler for irq and enables it. E_INVAL for a bad number,
 * E_BUSY if irq already has a handler. */
int irq_register(uint32_t irq, irq_handler_fn handler, void *ctx);

/* Disables irq and removes its handler. */
void irq_unregister(uint32_t irq);

/* Marks irq as the line of a device the kernel keeps for itself (the
 * console UART), even while no handler is registered: user-mode drivers
 * may never bind it (kernel/irq_user.c). */
void irq_reserve(uint32_t irq);
bool irq_is_reserved(uint32_t irq);

/* True while the CPU runs an interrupt handler. */
bool irq_in_handler(void);

/* How many interrupts arrived with no handler (each was masked). */
uint64_t irq_unhandled_count(void);

/* How many interrupts were handled, per number (for demos and tests). */
uint64_t irq_count(uint32_t irq);

#endif
