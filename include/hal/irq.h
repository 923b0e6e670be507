/*
 * Interrupts, as the core sees them: numbers (GIC INTIDs on QEMU virt),
 * per-interrupt controls, and the CPU's interrupt mask.
 *
 * The flow of one interrupt: the architecture's IRQ vector asks the
 * controller which interrupt fired (hal_irq_acknowledge), calls the core's
 * kernel_irq(irq), and kernel_irq ends it (hal_irq_eoi) before it may switch
 * to another thread.
 */
#ifndef HAL_IRQ_H
#define HAL_IRQ_H

#include <stdbool.h>
#include <stdint.h>

struct boot_info;

/* Returned by hal_irq_acknowledge when nothing (or only a spurious interrupt) is pending. */
#define HAL_IRQ_NONE 0xffffffffu

enum irq_trigger {
    IRQ_TRIGGER_LEVEL,
    IRQ_TRIGGER_EDGE,
};

/* Sets up the interrupt controller: everything disabled, then ready to enable. */
void hal_irq_init(const struct boot_info *bi);

/* 0 is the most urgent; the controller may ignore low bits. */
void hal_irq_set_priority(uint32_t irq, uint8_t priority);
/* Which CPUs (a bit mask) a shared peripheral interrupt goes to. */
void hal_irq_set_target(uint32_t irq, uint8_t cpu_mask);
void hal_irq_set_trigger(uint32_t irq, enum irq_trigger trigger);

/*
 * What every interrupt does, inline on the machine (the platform's
 * platform/hal_irq.h):
 *   void hal_irq_enable(uint32_t irq);
 *   void hal_irq_disable(uint32_t irq);
 *   void hal_irq_raise(uint32_t irq): makes irq pending, as if its device
 *     had raised it (tests, IPIs);
 *   uint32_t hal_irq_acknowledge(void): the highest-priority pending
 *     interrupt, now active; HAL_IRQ_NONE if none;
 *   void hal_irq_eoi(uint32_t irq): ends an interrupt hal_irq_acknowledge
 *     returned.
 */
#ifdef HOST_BUILD
void hal_irq_enable(uint32_t irq);
void hal_irq_disable(uint32_t irq);
void hal_irq_raise(uint32_t irq);
uint32_t hal_irq_acknowledge(void);
void hal_irq_eoi(uint32_t irq);
#else
#include "platform/hal_irq.h"
#endif
/* How many spurious acknowledges (nothing really pending) there were. */
uint64_t hal_irq_spurious_count(void);

/*
 * The CPU's interrupt mask. save masks and returns the previous state;
 * enabled says whether interrupts are unmasked on this CPU. Every use of
 * the kernel lock comes here, so the architecture makes them inline; the
 * host tests' fake keeps a flag.
 *   unsigned long hal_irq_save(void);
 *   void hal_irq_restore(unsigned long state);
 *   void hal_irq_local_enable(void);
 *   bool hal_irq_local_enabled(void);
 */
#ifdef HOST_BUILD
unsigned long hal_irq_save(void);
void hal_irq_restore(unsigned long state);
void hal_irq_local_enable(void);
bool hal_irq_local_enabled(void);
#else
#include "arch/hal_irq.h"
#endif
/* Unmasks interrupts for an instant, so that a pending one is taken right
 * here; they are masked again on return. Called with them masked. */
void hal_irq_window(void);

/* The core's handler, called by the architecture for each acknowledged interrupt. */
void kernel_irq(uint32_t irq);

#endif
