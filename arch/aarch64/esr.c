/*
 * Turning an Exception Syndrome Register value into words a learner can
 * read. The encodings are in ARM DDI 0487, section D17.2.37 (ESR_EL1).
 */
#include "arch/esr.h"

#include "lib/printf.h"

const char *esr_class_name(unsigned ec)
{
    switch (ec) {
    case EC_UNKNOWN:
        return "Unknown reason (undefined instruction)";
    case EC_WFX:
        return "Trapped WFI/WFE";
    case EC_FP_ACCESS:
        return "Trapped FP/SIMD access";
    case EC_ILLEGAL_STATE:
        return "Illegal execution state";
    case EC_SVC64:
        return "SVC (system call) from AArch64";
    case EC_SYSREG:
        return "Trapped system register access";
    case EC_IABT_LOWER:
        return "Instruction Abort from a lower EL";
    case EC_IABT_CURRENT:
        return "Instruction Abort from current EL";
    case EC_PC_ALIGN:
        return "PC alignment fault";
    case EC_DABT_LOWER:
        return "Data Abort from a lower EL";
    case EC_DABT_CURRENT:
        return "Data Abort from current EL";
    case EC_SP_ALIGN:
        return "SP alignment fault";
    case EC_FP_EXCEPTION:
        return "Floating-point exception";
    case EC_SERROR:
        return "SError interrupt";
    case 0x30:
    case 0x31:
        return "Breakpoint (debug)";
    case 0x32:
    case 0x33:
        return "Software step (debug)";
    case 0x34:
    case 0x35:
        return "Watchpoint (debug)";
    case EC_BRK64:
        return "BRK instruction";
    default:
        return "Unrecognised exception class";
    }
}

/* The fault status code (DFSC/IFSC, ISS bits 5:0) in words. */
static const char *esr_fault_status(unsigned fsc, int *level)
{
    *level = (int)(fsc & 3);
    switch (fsc >> 2) {
    case 0x0:
        return "address size fault";
    case 0x1:
        return "translation fault";
    case 0x2:
        return "access flag fault";
    case 0x3:
        return "permission fault";
    case 0x5:
        return "synchronous external abort on a table walk";
    default:
        break;
    }
    *level = -1;
    switch (fsc) {
    case 0x10:
        return "synchronous external abort";
    case 0x18:
        return "parity or ECC error";
    case 0x21:
        return "alignment fault";
    case 0x30:
        return "TLB conflict abort";
    default:
        return "unrecognised fault status";
    }
}

void esr_describe_abort(uint64_t esr, char *buf, unsigned size)
{
    unsigned ec = ESR_EC(esr);
    unsigned iss = ESR_ISS(esr);
    int level;
    const char *status = esr_fault_status(iss & 0x3f, &level);
    const char *access;

    if (ec == EC_IABT_LOWER || ec == EC_IABT_CURRENT) {
        access = "on an instruction fetch";
    } else if (iss & (1u << 8)) {
        access = "on a cache maintenance instruction";
    } else {
        access = (iss & (1u << 6)) ? "on a write" : "on a read";
    }
    if (level >= 0) {
        ksnprintf(buf, size, "%s, level %d, %s", status, level, access);
    } else {
        /* FnV (ISS bit 10), set only for a synchronous external abort:
         * FAR_EL1 does not hold the address. */
        ksnprintf(buf, size, "%s, %s%s", status, access,
                  (iss & (1u << 10)) ? ", address unknown" : "");
    }
}
