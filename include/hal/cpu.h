/* The current CPU: what it is, and how to make it wait. */
#ifndef HAL_CPU_H
#define HAL_CPU_H

/* The exception level the kernel runs at now (1 on AArch64). */
unsigned hal_cpu_current_el(void);

/* A short name for the machine, e.g. "aarch64 QEMU virt". */
const char *hal_platform_name(void);

/* Waits for an interrupt (wfi); returns when one is pending, even if masked. */
void hal_cpu_idle(void);

/* Masks interrupts and waits forever. */
__attribute__((noreturn)) void hal_cpu_halt(void);

/* The encoding of an instruction that does nothing (A64 NOP): what the
 * crash=text-write hook tries to write over kernel text. */
#define HAL_CPU_NOP_INSN 0xd503201fu

/* Test hook: executes an instruction that does not exist, to provoke an
 * "Unknown reason" exception. */
void hal_debug_undefined_instruction(void);

#endif
