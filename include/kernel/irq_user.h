/*
 * Interrupts for user-mode drivers. A driver binds an interrupt line to one
 * of its notifications; when the device raises it, the kernel masks the
 * line and signals the notification. The driver's thread, waiting on the
 * notification, wakes, serves the device, and acknowledges the interrupt,
 * which unmasks the line again. The kernel never runs driver code.
 *
 * Binding needs the interrupt-control capability (HANDLE_IRQ_CONTROL),
 * which the kernel gives the tasks it starts itself (init) at handle 0, and
 * which they may pass on in spawn. Only the binding task may acknowledge or
 * trigger its interrupt; its bindings go when it ends.
 */
#ifndef KERNEL_IRQ_USER_H
#define KERNEL_IRQ_USER_H

#include <stdint.h>

struct task;
struct notification;

/* The one interrupt-control object that HANDLE_IRQ_CONTROL handles name. */
void *irq_user_control(void);

/* SPIs only (INTID 32 and up, below IRQ_MAX). E_INVAL for another number or
 * bit > 62, E_PERM for a line the kernel keeps (irq_reserve: the console's),
 * E_BUSY if the line already has a handler (the kernel's own or a
 * driver's), E_NOSPC when every binding is in use. All calls here need the
 * kernel lock. */
int irq_user_bind(struct task *owner, uint32_t irq, struct notification *n, unsigned bit);

/* Unmasks irq after the driver served it. E_PERM unless owner bound it. */
int irq_user_ack(struct task *owner, uint32_t irq);

/* Makes irq pending, as its device would (tests, benchmarks). E_PERM unless
 * owner bound it. */
int irq_user_trigger(struct task *owner, uint32_t irq);

/* Removes every binding owner holds (it is ending). */
void irq_user_release(struct task *owner);

/* How many bindings exist (the accounting counts them). */
unsigned irq_user_binding_count(void);

#endif
