/*
 * The architecture's part in the kernel address space: where the image's
 * sections are (from kernel.ld.S), and the one-time switch of TTBR1 from
 * the early linear map (linear_map.c) to the tables kernel/kernel_vspace.c
 * built with the portable vspace code.
 *
 * Why the switch needs care. The old tables map the running kernel with
 * 1 GiB and 2 MiB blocks, the new ones with 4 KiB pages for the image. The
 * architecture forbids changing the block size of a live mapping without
 * break-before-make: the TLB may otherwise hold an old block and a new page
 * for the same address at once (a TLB conflict, or plain wrong
 * translations). But the kernel cannot "break" the mapping it is executing
 * from, with its stack and its code in the very range that changes.
 *
 * So the switch runs from somewhere else: the boot identity map, still live
 * in TTBR0 at this point (linear_map.c leaves it on for this reason).
 * boot_replace_ttbr1 in boot.S runs there, at the physical address, without
 * a stack: it points TTBR1 at an empty table, invalidates the whole TLB
 * (the break), then installs the new root (the make) and returns to the
 * caller's upper-half address. After that nothing needs the lower half, so
 * TTBR0 walks go off, and the identity map's global TLB entries are flushed
 * so they can never hit a user address later.
 *
 * Alternatives we did not take: building the final tables in linear_map.c
 * before the frame allocator exists (it needs all of RAM mapped first), or
 * keeping the old block sizes for the image (then no W^X at page grain).
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/boot.h"
#include "arch/mmu_config.h"
#include "arch/sysreg.h"
#include "hal/irq.h"
#include "hal/memory.h"
#include "hal/mmu.h"
#include "kernel/panic.h"

static bool kernel_root_installed;

static uint64_t kernel_map_page_up(const char *p)
{
    return ((uint64_t)(uintptr_t)p + MMU_PAGE_SIZE - 1) & ~(MMU_PAGE_SIZE - 1);
}

unsigned hal_mmu_kernel_sections(struct mmu_section *out, unsigned max)
{
    /* kernel.ld.S aligns _etext and _erodata to pages; _end is rounded up here. */
    const struct mmu_section sections[] = {
        {"text", (uint64_t)(uintptr_t)_text, (uint64_t)(uintptr_t)_etext, MMU_READ | MMU_EXEC},
        {"rodata", (uint64_t)(uintptr_t)_etext, (uint64_t)(uintptr_t)_erodata, MMU_READ},
        {"data", (uint64_t)(uintptr_t)_erodata, kernel_map_page_up(_end), MMU_READ | MMU_WRITE},
    };
    unsigned n = sizeof(sections) / sizeof(sections[0]);

    for (unsigned i = 0; i < n && i < max; i++) {
        out[i] = sections[i];
    }
    return n < max ? n : max;
}

void hal_mmu_install_kernel_root(uint64_t root_pa)
{
    if (kernel_root_installed) {
        panic("mmu: the kernel root can be installed only once (the identity map is gone)");
    }
    /* An interrupt while TTBR1 points at the empty table could not even reach its vector. */
    unsigned long irq = hal_irq_save();
    void (*replace)(uint64_t) = (void (*)(uint64_t))hal_virt_to_phys(boot_replace_ttbr1);
    replace(root_pa);

    sysreg_write_tcr_el1(mmu_tcr_value(sysreg_read_id_aa64mmfr0_el1(), TCR_EPD0_OFF));
    arch_isb();
    sysreg_write_ttbr0_el1(mmu_ttbr_value(0, MMU_ASID_RESERVED));
    arch_isb();
    hal_tlb_invalidate_all();
    kernel_root_installed = true;
    hal_irq_restore(irq);
}
