/*
 * The kernel's memory image. Sections are linked at their upper-half virtual
 * address (VMA) and loaded at the physical address (LMA) QEMU copies them to.
 * The ELF entry point is the physical address of _text, because the CPU
 * starts with the MMU off.
 *
 * Order matters:
 *   .text   the arm64 Image header first, then boot code, then all code
 *   .rodata constants, the ktest case table and the demo table
 *   .ksyms  the embedded symbol table, after all code so that linking it in
 *           (the second link pass) moves no function
 *   .data, .bss (with the boot page tables), then the boot stack
 *
 * This file is run through the C preprocessor to pick up the constants.
 */
#include "arch/memory_layout.h"

OUTPUT_ARCH(aarch64)
ENTRY(_start_phys)

SECTIONS
{
    . = KERNEL_VIRT_BASE;
    _text = .;

    .text : AT(ADDR(.text) - KERNEL_VIRT_OFFSET) {
        KEEP(*(.text.head))
        *(.text.boot)
        *(.text .text.*)
    }
    . = ALIGN(4096);
    _etext = .;

    .rodata : AT(ADDR(.rodata) - KERNEL_VIRT_OFFSET) {
        *(.rodata .rodata.*)
        . = ALIGN(8);
        __start_ktest_cases = .;
        KEEP(*(ktest_cases))
        __stop_ktest_cases = .;
        . = ALIGN(8);
        __start_demos = .;
        KEEP(*(demos))
        __stop_demos = .;
    }

    .ksyms : AT(ADDR(.ksyms) - KERNEL_VIRT_OFFSET) {
        . = ALIGN(8);
        KEEP(*(.ksyms))
    }
    . = ALIGN(4096);
    _erodata = .;

    .data : AT(ADDR(.data) - KERNEL_VIRT_OFFSET) {
        *(.data .data.*)
    }

    .bss (NOLOAD) : AT(ADDR(.bss) - KERNEL_VIRT_OFFSET) {
        . = ALIGN(16);
        __bss_start = .;
        *(.bss .bss.*)
        *(COMMON)
        . = ALIGN(16);
        boot_stack_bottom = .;
        . += BOOT_STACK_SIZE;
        boot_stack_top = .;
        __bss_end = .;
    }
    _end = .;

    _start_phys = _text - KERNEL_VIRT_OFFSET;
    _kernel_size = _end - _text;

    /DISCARD/ : {
        *(.note .note.*)
        *(.eh_frame .eh_frame_hdr)
        *(.comment)
        *(.interp .dynamic .dynsym .dynstr .hash .gnu.hash)
    }
}
