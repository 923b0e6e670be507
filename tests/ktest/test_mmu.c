/*
 * Tests for the descriptor format behind include/hal/mmu.h
 * (arch/aarch64/mmu.c): geometry, exact AArch64 encodings of the
 * descriptors the kernel makes, decoding back to portable terms, the
 * printable form, and the TLB maintenance done by the entry primitives.
 *
 * The expected descriptor values are worked out by hand from ARM DDI 0487
 * D8.3, so a wrong bit in the encoder shows up here and not as a mystery
 * fault at boot.
 */
#include <stdint.h>

#include "hal/mmu.h"
#include "lib/ktest.h"

KTEST(mmu, geometry)
{
    KTEST_EXPECT_EQ(t, mmu_level_shift(0), 39);
    KTEST_EXPECT_EQ(t, mmu_level_shift(1), 30);
    KTEST_EXPECT_EQ(t, mmu_level_shift(2), 21);
    KTEST_EXPECT_EQ(t, mmu_level_shift(3), 12);
    KTEST_EXPECT_EQ(t, mmu_level_size(2), 2 << 20);
    KTEST_EXPECT_EQ(t, mmu_level_size(1), 1 << 30);
    /* 0xffff000040370000: the upper half uses the same indexes as the lower. */
    KTEST_EXPECT_EQ(t, mmu_level_index(0, 0xffff000040370000ULL), 0);
    KTEST_EXPECT_EQ(t, mmu_level_index(1, 0xffff000040370000ULL), 1);
    KTEST_EXPECT_EQ(t, mmu_level_index(2, 0xffff000040370000ULL), 1);
    KTEST_EXPECT_EQ(t, mmu_level_index(3, 0xffff000040370000ULL), 368);
    KTEST_EXPECT_EQ(t, mmu_level_index(0, 0xffff800000000000ULL), 256);
}

KTEST(mmu, encode_exact_bits)
{
    /* page | AttrIndx 1 | SH inner | AF, PXN, UXN; AP 00; global */
    KTEST_EXPECT_EQ(t, hal_mmu_leaf_desc(3, 0x40000000, MMU_READ | MMU_WRITE, MMU_NORMAL, true),
                    0x0060000040000707ULL);
    /* kernel text: read-only (AP[2]), executable at EL1 (no PXN) */
    KTEST_EXPECT_EQ(t, hal_mmu_leaf_desc(3, 0x40200000, MMU_READ | MMU_EXEC, MMU_NORMAL, true),
                    0x0040000040200787ULL);
    /* user data: AP 01 (EL0 too), nG */
    KTEST_EXPECT_EQ(
        t, hal_mmu_leaf_desc(3, 0x41000000, MMU_READ | MMU_WRITE | MMU_USER, MMU_NORMAL, false),
        0x0060000041000f47ULL);
    /* user code: AP 11, nG, executable at EL0 only (PXN, no UXN) */
    KTEST_EXPECT_EQ(
        t, hal_mmu_leaf_desc(3, 0x41000000, MMU_READ | MMU_EXEC | MMU_USER, MMU_NORMAL, false),
        0x0020000041000fc7ULL);
    /* a 2 MiB device block: type 01, AttrIndx 0, no SH, never executable */
    KTEST_EXPECT_EQ(t, hal_mmu_leaf_desc(2, 0x08000000, MMU_READ | MMU_WRITE, MMU_DEVICE, true),
                    0x0060000008000401ULL);
    /* a 1 GiB block at level 1 */
    KTEST_EXPECT_EQ(t, hal_mmu_leaf_desc(1, 0x40000000, MMU_READ | MMU_WRITE, MMU_NORMAL, true),
                    0x0060000040000705ULL);
    KTEST_EXPECT_EQ(t, hal_mmu_table_desc(0x41234000), 0x41234003ULL);
    /* level 0 cannot hold a leaf: the encoder returns the invalid descriptor */
    KTEST_EXPECT_EQ(t, hal_mmu_leaf_desc(0, 0, MMU_READ, MMU_NORMAL, true), 0);
}

KTEST(mmu, decode_kinds)
{
    struct mmu_desc d;

    hal_mmu_decode(1, 0, &d);
    KTEST_EXPECT_EQ(t, d.kind, MMU_DESC_INVALID);
    hal_mmu_decode(0, 0x40000001, &d); /* no blocks at level 0 */
    KTEST_EXPECT_EQ(t, d.kind, MMU_DESC_INVALID);
    hal_mmu_decode(3, 0x40000001, &d); /* 0b01 is reserved at level 3 */
    KTEST_EXPECT_EQ(t, d.kind, MMU_DESC_INVALID);
    hal_mmu_decode(2, 0x40000002, &d);
    KTEST_EXPECT_EQ(t, d.kind, MMU_DESC_INVALID);
    hal_mmu_decode(2, 0x41234003, &d);
    KTEST_EXPECT_EQ(t, d.kind, MMU_DESC_TABLE);
    KTEST_EXPECT_EQ(t, d.addr, 0x41234000);
    hal_mmu_decode(3, 0x0060000041000f47ULL, &d);
    KTEST_EXPECT_EQ(t, d.kind, MMU_DESC_PAGE);
    KTEST_EXPECT_EQ(t, d.addr, 0x41000000);
    KTEST_EXPECT_EQ(t, d.perms, MMU_READ | MMU_WRITE | MMU_USER);
    KTEST_EXPECT_FALSE(t, d.global);
    hal_mmu_decode(2, 0x0060000008000401ULL, &d);
    KTEST_EXPECT_EQ(t, d.kind, MMU_DESC_BLOCK);
    KTEST_EXPECT_EQ(t, d.type, MMU_DEVICE);
    KTEST_EXPECT_TRUE(t, d.global);
}

/* Every permission set a mapping may have survives encode then decode, at every leaf level. */
KTEST(mmu, decode_round_trip)
{
    for (unsigned level = 1; level <= MMU_LEAF_LEVEL; level++) {
        for (unsigned extra = 0; extra < 8; extra++) {
            unsigned perms = MMU_READ | (extra & 1 ? MMU_WRITE : 0) | (extra & 2 ? MMU_EXEC : 0) |
                             (extra & 4 ? MMU_USER : 0);
            for (int type = MMU_NORMAL; type <= MMU_DEVICE; type++) {
                uint64_t pa = 0x40000000ULL + mmu_level_size(level) * 3;
                uint64_t desc =
                    hal_mmu_leaf_desc(level, pa, perms, (enum mmu_mem_type)type, extra & 1);
                struct mmu_desc d;
                hal_mmu_decode(level, desc, &d);
                unsigned want = type == MMU_DEVICE ? perms & ~MMU_EXEC : perms;
                if (d.kind != (level == 3 ? MMU_DESC_PAGE : MMU_DESC_BLOCK) || d.addr != pa ||
                    d.perms != want || (int)d.type != type || d.global != (bool)(extra & 1)) {
                    ktest_fail(t, __FILE__, __LINE__,
                               "level %u perms 0x%x type %d: got kind %d addr 0x%llx perms 0x%x",
                               level, perms, type, d.kind, (unsigned long long)d.addr, d.perms);
                }
            }
        }
    }
}

KTEST(mmu, perms_supported)
{
    KTEST_EXPECT_TRUE(t, hal_mmu_perms_supported(MMU_READ));
    KTEST_EXPECT_TRUE(t, hal_mmu_perms_supported(MMU_PERMS_ALL));
    KTEST_EXPECT_FALSE(t, hal_mmu_perms_supported(0));
    KTEST_EXPECT_FALSE(t, hal_mmu_perms_supported(MMU_WRITE));        /* write-only */
    KTEST_EXPECT_FALSE(t, hal_mmu_perms_supported(MMU_EXEC));         /* execute-only */
    KTEST_EXPECT_FALSE(t, hal_mmu_perms_supported(MMU_READ | 0x10u)); /* unknown bit */
}

KTEST(mmu, format_fields)
{
    char buf[200];

    hal_mmu_format_desc(3, 0x0060000040370f07ULL, buf, sizeof(buf));
    KTEST_EXPECT_STREQ(t, buf,
                       "page, OA 0x40370000, AttrIndx 1 (Normal WB), AP 00 (EL1 RW, EL0 --), "
                       "SH 11 (inner), AF 1, nG 1, PXN 1, UXN 1");
    hal_mmu_format_desc(2, 0x0060000008000401ULL, buf, sizeof(buf));
    KTEST_EXPECT_STREQ(t, buf,
                       "block, OA 0x8000000, AttrIndx 0 (Device-nGnRE), AP 00 (EL1 RW, EL0 --), "
                       "SH 00 (non-shareable), AF 1, nG 0, PXN 1, UXN 1");
    hal_mmu_format_desc(0, 0x40371003, buf, sizeof(buf));
    KTEST_EXPECT_STREQ(t, buf, "table, next level at 0x40371000");
    hal_mmu_format_desc(3, 0, buf, sizeof(buf));
    KTEST_EXPECT_STREQ(t, buf, "invalid (type bits 00): an access here faults");
}

/* The entry primitives on a table that is not live (a local array): what TLB work they do. */
KTEST(mmu, entry_primitives_maintain_the_tlb)
{
    uint64_t table[4] = {0, 0, 0, 0};
    struct mmu_tlb_stats before;
    struct mmu_tlb_stats after;
    uint64_t page = hal_mmu_leaf_desc(3, 0x40000000, MMU_READ, MMU_NORMAL, false);

    hal_tlb_stats(&before);
    hal_mmu_entry_set(&table[1], page); /* invalid -> valid: nothing to invalidate */
    hal_tlb_stats(&after);
    KTEST_EXPECT_EQ(t, table[1], page);
    KTEST_EXPECT_EQ(t, after.total, before.total);

    hal_mmu_entry_replace(&table[1], page | (1ULL << 7), 0x401000, 7);
    hal_tlb_stats(&after);
    KTEST_EXPECT_EQ(t, table[1], page | (1ULL << 7));
    KTEST_ASSERT_EQ(t, after.total, before.total + 1);
    const struct mmu_tlb_op *op = &after.log[before.total % MMU_TLB_LOG_SIZE];
    KTEST_EXPECT_EQ(t, op->kind, MMU_TLB_OP_VA);
    KTEST_EXPECT_EQ(t, op->va, 0x401000);
    KTEST_EXPECT_EQ(t, op->asid, 7);

    hal_mmu_entry_clear(&table[1], 0xffff000040000000ULL, MMU_ASID_GLOBAL);
    hal_tlb_stats(&after);
    KTEST_EXPECT_EQ(t, table[1], 0);
    KTEST_ASSERT_EQ(t, after.total, before.total + 2);
    op = &after.log[(before.total + 1) % MMU_TLB_LOG_SIZE];
    KTEST_EXPECT_EQ(t, op->va, 0xffff000040000000ULL);
    KTEST_EXPECT_EQ(t, op->asid, MMU_ASID_GLOBAL);
}
