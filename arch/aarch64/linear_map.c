/*
 * The early linear map: all of RAM, at physical address + KERNEL_VIRT_OFFSET,
 * in static tables. It is the middle of three stages:
 *
 *   1. boot tables (boot_mmu.c): the kernel's GiB only, because boot.S cannot
 *      know how much RAM there is;
 *   2. these tables, built once the device tree has been read: every RAM
 *      range (1 GiB blocks where a whole aligned GiB is RAM, 2 MiB blocks
 *      elsewhere), plus the first GiB of the physical map, where QEMU virt
 *      puts its devices, as Device memory. Everything is RWX, because the
 *      image lies inside RAM. The frame allocator needs all of RAM reachable
 *      before it can hand out a single frame, which is why this stage exists;
 *   3. the kernel address space proper (kernel/kernel_vspace.c), built from
 *      frames with the portable vspace code: W^X image, non-executable
 *      linear map, only the devices the kernel uses. kernel_map.c installs it.
 *
 * The switch from 1 to 2 and from 2 to 3 both change block sizes under live
 * mappings, so both go through boot_replace_ttbr1 (boot.S), which runs from
 * the boot identity map in TTBR0. That is why TTBR0 walks stay on until
 * stage 3 is installed.
 *
 * Ranges are widened to 2 MiB boundaries; the frame allocator only ever hands
 * out the exact ranges from the device tree.
 */
#include <stdint.h>

#include "arch/boot.h"
#include "arch/memory_layout.h"
#include "arch/pte.h"
#include "arch/sysreg.h"
#include "hal/memory.h"
#include "kernel/boot_info.h"
#include "kernel/panic.h"

#define LINEAR_MAP_L1_TABLES 2
#define LINEAR_MAP_L2_TABLES 8

static uint64_t lm_l0[PTE_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t lm_l1[LINEAR_MAP_L1_TABLES][PTE_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t lm_l2[LINEAR_MAP_L2_TABLES][PTE_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static unsigned lm_l1_used;
static unsigned lm_l2_used;

/* Returns the table an entry points to, creating it from pool if empty. */
static uint64_t *lm_next_table(uint64_t *entry, uint64_t (*pool)[PTE_ENTRIES], unsigned *used,
                               unsigned capacity)
{
    if (*entry & PTE_VALID) {
        return hal_phys_to_virt(*entry & PTE_ADDR_MASK);
    }
    if (*used == capacity) {
        panic("linear map: out of boot page tables (RAM too fragmented)");
    }
    uint64_t *table = pool[(*used)++];
    *entry = hal_virt_to_phys(table) | PTE_TABLE;
    return table;
}

static void lm_map(uint64_t pa, uint64_t size, uint64_t attrs)
{
    uint64_t end = (pa + size + MIB2 - 1) & ~(MIB2 - 1);

    pa &= ~(MIB2 - 1);
    while (pa < end) {
        uint64_t *l1 =
            lm_next_table(&lm_l0[PTE_INDEX(0, pa)], lm_l1, &lm_l1_used, LINEAR_MAP_L1_TABLES);
        uint64_t *l1e = &l1[PTE_INDEX(1, pa)];
        if ((pa & (GIB - 1)) == 0 && end - pa >= GIB && !(*l1e & PTE_VALID)) {
            *l1e = pa | PTE_BLOCK | attrs;
            pa += GIB;
            continue;
        }
        uint64_t *l2 = lm_next_table(l1e, lm_l2, &lm_l2_used, LINEAR_MAP_L2_TABLES);
        l2[PTE_INDEX(2, pa)] = pa | PTE_BLOCK | attrs;
        pa += MIB2;
    }
}

void linear_map_build(const struct boot_info *bi)
{
    lm_map(0, GIB, PTE_KERNEL_DEVICE);
    for (unsigned i = 0; i < bi->ram_count; i++) {
        /* Executable for now, because the kernel image lies inside RAM. */
        lm_map(bi->ram[i].base, bi->ram[i].size, PTE_KERNEL_RWX);
    }
    arch_dsb_ish();

    void (*replace)(uint64_t) = (void (*)(uint64_t))hal_virt_to_phys(boot_replace_ttbr1);
    replace(hal_virt_to_phys(lm_l0));
    /* TTBR0 keeps the boot identity map: stage 3 needs it for the same trick. */
}
