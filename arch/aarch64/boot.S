/*
 * _start: the first instructions the CPU runs.
 *
 * QEMU enters here with the MMU off, at the physical load address, in EL1,
 * EL2 or EL3 depending on -machine options. This file brings the boot CPU
 * to a state where C can run in the kernel's upper-half address space:
 *
 *   1. park every CPU but the boot CPU;
 *   2. drop to EL1 (configuring EL2/EL3 so EL1 may use the timer and FP);
 *   3. set up a stack and zero BSS;
 *   4. build the boot page tables (boot_mmu_build, in C) and turn the MMU on;
 *   5. jump from the physical address to the linked upper-half address and
 *      call arch_boot_main(dtb, entry_el).
 *
 * Until step 5 the code runs at the physical address while being linked at
 * the virtual one, so it uses only PC-relative addressing (adr, adrp).
 */
#include "arch/memory_layout.h"
#include "arch/mmu_config.h"
#include "arch/regs.h"

/*
 * The arm64 Image header (Linux's Documentation/arch/arm64/booting.rst).
 * With it the raw build/kernel.img boots with qemu -kernel, and with U-Boot
 * booti. QEMU loads an Image at the RAM base + text_offset when image_size
 * is non-zero.
 */
.section .text.head, "ax"
.globl _start
_start:
    b       primary_entry           /* code0: jump over the header */
    .long   0                       /* code1 */
    .quad   KERNEL_TEXT_OFFSET      /* text_offset from a 2 MiB aligned base */
    .quad   _kernel_size            /* image_size, BSS included */
    .quad   0x2                     /* flags: little endian, 4 KiB pages */
    .quad   0                       /* res2 */
    .quad   0                       /* res3 */
    .quad   0                       /* res4 */
    .ascii  "ARM\x64"               /* magic */
    .long   0                       /* res5: no PE/COFF header */

.section .text.boot, "ax"
primary_entry:
    /* x0 holds the DTB address for an Image boot and 0 for an ELF boot. */
    mov     x19, x0
    mrs     x20, CurrentEL
    lsr     x20, x20, #2

    /*
     * Only CPU 0 (affinity 0.0.0.0) boots. On QEMU virt the others stay
     * powered off until PSCI CPU_ON starts them; with secure=on (no PSCI)
     * QEMU starts them all here, and they wait in park for good.
     */
    mrs     x1, mpidr_el1
    mov     x2, #0xffffff
    movk    x2, #0xff, lsl #32
    and     x1, x1, x2
    cbnz    x1, park

    bl      drop_to_el1

    adrp    x1, boot_stack_top
    add     x1, x1, :lo12:boot_stack_top
    mov     sp, x1

    /* Zero BSS. Its bounds are 16-byte aligned (see kernel.ld.S). */
    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
1:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:
    /* x0 = physical address of _start, which the boot tables must map. */
    adrp    x0, _start
    add     x0, x0, :lo12:_start
    bl      boot_mmu_build          /* returns the TCR_EL1 value in x0 */
    bl      boot_mmu_enable

    /* Leave the identity map: load the upper-half address of high_entry. */
    ldr     x1, =high_entry
    br      x1

/*
 * The bottom of every boot-time stack. A zero frame record ends the kernel's
 * own backtraces here; for gdb, which unwinds by call frame information,
 * ".cfi_undefined x30" says the same: this code has no caller. (The CFI goes
 * to .debug_frame, which is not loaded, and changes no instruction.)
 */
    .cfi_sections .debug_frame
high_entry:
    .cfi_startproc
    .cfi_undefined x30
    ldr     x1, =boot_stack_top
    mov     sp, x1
    mov     x29, xzr
    mov     x30, xzr
    ldr     x1, =exception_vectors
    msr     vbar_el1, x1
    isb
    mov     x0, x19
    mov     x1, x20
    bl      arch_boot_main
park:
    wfe
    b       park
    .cfi_endproc

/*
 * drop_to_el1: return to the caller in EL1, whatever level we started in.
 * Uses x0-x2 only and keeps x30, since eret does not touch general registers.
 */
drop_to_el1:
    mrs     x0, CurrentEL
    lsr     x0, x0, #2
    cmp     x0, #3
    b.eq    from_el3
    cmp     x0, #2
    b.eq    from_el2
    b       in_el1

/*
 * Configure EL2 for an EL1 kernel: AArch64 EL1, no stage 2, no traps, and
 * the physical timer and counter usable from EL1.
 */
.macro el2_setup_for_el1
    mov     x1, #HCR_RW
    msr     hcr_el2, x1
    mov     x1, #(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN)
    msr     cnthctl_el2, x1
    msr     cntvoff_el2, xzr        /* virtual counter == physical counter */
    mov     x1, #CPTR_EL2_NO_TRAPS
    msr     cptr_el2, x1            /* no FP/SIMD traps to EL2 */
    msr     hstr_el2, xzr
    /* With EL2 present, EL1 reads MIDR/MPIDR through these: give it the real values. */
    mrs     x1, midr_el1
    msr     vpidr_el2, x1
    mrs     x1, mpidr_el1
    msr     vmpidr_el2, x1
.endm

from_el3:
    /* If EL2 exists (virtualization=on too), set it up even though we pass straight by. */
    mrs     x1, id_aa64pfr0_el1
    ubfx    x1, x1, #8, #4
    cbz     x1, 1f
    el2_setup_for_el1
1:  mov     x5, x30
    bl      platform_el3_setup      /* the board's firmware duties (GIC groups) */
    mov     x30, x5
    mov     x1, #(SCR_NS | SCR_RES1 | SCR_RW)
    msr     scr_el3, x1             /* EL1 is Non-secure and AArch64 */
    msr     cptr_el3, xzr           /* no FP/SIMD traps to EL3 */
    mov     x1, #SPSR_EL1H_MASKED
    msr     spsr_el3, x1
    adr     x1, in_el1
    msr     elr_el3, x1
    eret

from_el2:
    el2_setup_for_el1
    mov     x1, #SPSR_EL1H_MASKED
    msr     spsr_el2, x1
    adr     x1, in_el1
    msr     elr_el2, x1
    eret

in_el1:
    mov     x1, #CPACR_FPEN_ALL     /* FP/SIMD usable at EL1 and EL0 */
    msr     cpacr_el1, x1
    ldr     x1, =SCTLR_RES1         /* MMU and caches off, a known state */
    msr     sctlr_el1, x1
    isb
    ret

/*
 * boot_mmu_enable(tcr): load the tables boot_mmu_build made and turn on the
 * MMU with caches. The identity map keeps the physical address we return
 * to valid once the MMU is on.
 */
boot_mmu_enable:
    adrp    x1, boot_ttbr0_l0
    msr     ttbr0_el1, x1
    adrp    x1, boot_ttbr1_l0
    msr     ttbr1_el1, x1
    ldr     x1, =MAIR_VALUE
    msr     mair_el1, x1
    msr     tcr_el1, x0
    isb
    tlbi    vmalle1
    dsb     nsh
    isb
    mrs     x1, sctlr_el1
    mov     x0, #(SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0)
    orr     x1, x1, x0
    orr     x1, x1, #SCTLR_I
    msr     sctlr_el1, x1
    isb
    ret

/*
 * boot_replace_ttbr1(new_ttbr1): install new upper-half tables.
 *
 * The old and new tables both map the kernel, but with different block
 * sizes, and the architecture forbids a TLB holding both at once ("break
 * before make"). So this runs from the identity map (TTBR0) with no stack,
 * points TTBR1 at an empty table, flushes the TLB, then installs the new
 * tables. The caller calls it through its physical address with interrupts
 * masked, and it returns to the caller's upper-half address.
 */
.globl boot_replace_ttbr1
boot_replace_ttbr1:
    adrp    x1, boot_empty_table
    msr     ttbr1_el1, x1
    isb
    tlbi    vmalle1
    dsb     nsh
    isb
    msr     ttbr1_el1, x0
    isb
    ret

.section .bss
.balign 4096
boot_empty_table:
    .skip   4096
