/* Exception syndrome decoding, with ESR values as the CPU reports them. */
#include "arch/esr.h"
#include "lib/ktest.h"

KTEST(esr, class_names)
{
    KTEST_EXPECT_STREQ(t, esr_class_name(EC_DABT_CURRENT), "Data Abort from current EL");
    KTEST_EXPECT_STREQ(t, esr_class_name(EC_IABT_LOWER), "Instruction Abort from a lower EL");
    KTEST_EXPECT_STREQ(t, esr_class_name(EC_SVC64), "SVC (system call) from AArch64");
    KTEST_EXPECT_STREQ(t, esr_class_name(EC_UNKNOWN), "Unknown reason (undefined instruction)");
    KTEST_EXPECT_STREQ(t, esr_class_name(0x3f), "Unrecognised exception class");
}

KTEST(esr, field_extraction)
{
    uint64_t esr = 0x96000044; /* a null-pointer write from EL1 */

    KTEST_EXPECT_EQ(t, ESR_EC(esr), EC_DABT_CURRENT);
    KTEST_EXPECT_EQ(t, ESR_IL(esr), 1);
    KTEST_EXPECT_EQ(t, ESR_ISS(esr), 0x44);
}

KTEST(esr, describe_data_aborts)
{
    char buf[96];

    esr_describe_abort(0x96000044, buf, sizeof(buf));
    KTEST_EXPECT_STREQ(t, buf, "translation fault, level 0, on a write");
    esr_describe_abort(0x96000007, buf, sizeof(buf));
    KTEST_EXPECT_STREQ(t, buf, "translation fault, level 3, on a read");
    esr_describe_abort(0x9600004f, buf, sizeof(buf));
    KTEST_EXPECT_STREQ(t, buf, "permission fault, level 3, on a write");
    esr_describe_abort(0x96000021, buf, sizeof(buf));
    KTEST_EXPECT_STREQ(t, buf, "alignment fault, on a read");
    esr_describe_abort(0x9200010b, buf, sizeof(buf));
    KTEST_EXPECT_STREQ(t, buf, "access flag fault, level 3, on a cache maintenance instruction");
}

KTEST(esr, describe_instruction_abort)
{
    char buf[96];

    esr_describe_abort(0x8600000f, buf, sizeof(buf));
    KTEST_EXPECT_STREQ(t, buf, "permission fault, level 3, on an instruction fetch");
}
