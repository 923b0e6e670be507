/*
 * The one semihosting call the kernel makes: SYS_EXIT (0x18). On AArch64 its
 * argument is a pointer to {reason, status}; reason 0x20026 is
 * ADP_Stopped_ApplicationExit, and QEMU exits with status & 0xff.
 */
#include "arch/semihosting.h"

#define SEMIHOSTING_SYS_EXIT         0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static bool semihosting_off;

void semihosting_mark_unavailable(void)
{
    semihosting_off = true;
}

void semihosting_exit(int status)
{
    uint64_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint64_t)(int64_t)status};
    register uint64_t x0 __asm__("x0") = SEMIHOSTING_SYS_EXIT;
    register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;

    if (semihosting_off) {
        return;
    }
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}
