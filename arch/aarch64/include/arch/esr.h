/* The Exception Syndrome Register (ESR_EL1): why an exception happened. */
#ifndef ARCH_ESR_H
#define ARCH_ESR_H

#include <stdint.h>

#define ESR_EC(esr)  (((esr) >> 26) & 0x3f) /* exception class */
#define ESR_IL(esr)  (((esr) >> 25) & 1)    /* 32-bit instruction */
#define ESR_ISS(esr) ((esr)&0x1ffffff)      /* class-specific syndrome */
#define ESR_DABT_WNR (1u << 6)              /* data abort: caused by a write */

#define EC_UNKNOWN       0x00
#define EC_WFX           0x01
#define EC_FP_ACCESS     0x07
#define EC_ILLEGAL_STATE 0x0e
#define EC_SVC64         0x15
#define EC_SYSREG        0x18
#define EC_IABT_LOWER    0x20
#define EC_IABT_CURRENT  0x21
#define EC_PC_ALIGN      0x22
#define EC_DABT_LOWER    0x24
#define EC_DABT_CURRENT  0x25
#define EC_SP_ALIGN      0x26
#define EC_FP_EXCEPTION  0x2c
#define EC_SERROR        0x2f
#define EC_BRK64         0x3c

/* The name of an exception class, e.g. "Data Abort from current EL". */
const char *esr_class_name(unsigned ec);

/*
 * Decodes the fault status of an abort (EC 0x20, 0x21, 0x24, 0x25) into
 * words, e.g. "translation fault, level 0, on a write", into buf.
 */
void esr_describe_abort(uint64_t esr, char *buf, unsigned size);

#endif
