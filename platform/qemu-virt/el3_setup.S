/*
 * platform_el3_setup: what firmware would do at EL3 before starting a
 * Non-secure OS, for the one thing our kernel needs from it.
 *
 * With -machine secure=on QEMU starts us at EL3 with no firmware at all.
 * Every GIC interrupt then belongs to Group 0 (Secure), and a Non-secure EL1
 * kernel can neither configure nor receive them. The group registers
 * (GICD_IGROUPRn) are writable only from the Secure side, so before the drop
 * to EL1 we put every interrupt in Group 1 (Non-secure).
 *
 * The same goes for the CPU interface's priority mask: it resets to 0 (mask
 * everything), and the GIC ignores Non-secure writes to it while it holds a
 * value below 0x80. A Secure write opens it.
 *
 * Called from boot.S at EL3 with the MMU off and no stack; uses x1-x4 only.
 */
#include "memory_map.h"

#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
#define GICC_PMR 0x004

.section .text.boot, "ax"
.globl platform_el3_setup
platform_el3_setup:
    ldr     x1, =VIRT_GICD_BASE
    ldr     w2, [x1, #GICD_TYPER]
    and     w2, w2, #0x1f           /* ITLinesNumber: (lines / 32) - 1 */
    add     x3, x1, #GICD_IGROUPR
    mov     w4, #-1                 /* all 32 interrupts of a register: Group 1 */
1:  str     w4, [x3], #4
    subs    w2, w2, #1
    b.ge    1b
    ldr     x1, =VIRT_GICC_BASE
    mov     w2, #0xf0
    str     w2, [x1, #GICC_PMR]
    ret
