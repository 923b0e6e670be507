/*
 * The core's entry points: the only functions the architecture code calls
 * in kernel/. (kernel_fault is declared in hal/fault.h with its struct.)
 */
#ifndef KERNEL_ENTRY_H
#define KERNEL_ENTRY_H

struct boot_info;

/* Starts the portable kernel on the boot CPU: MMU on, interrupts masked. */
__attribute__((noreturn)) void kmain(const struct boot_info *bi);

#endif
