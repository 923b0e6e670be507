/*
 * Powering off, two ways:
 *
 *   PSCI SYSTEM_OFF: the firmware interface every arm64 OS uses. QEMU
 *   implements it itself and exits with status 0. The call goes through
 *   "hvc" or "smc", as the device tree's /psci node says. With
 *   -machine secure=on QEMU offers no PSCI at all.
 *
 *   Semihosting SYS_EXIT: a debug channel to the host (here QEMU) that can
 *   carry an exit status. It only exists when QEMU runs with
 *   -semihosting-config enable=on,target=native; otherwise the "hlt #0xf000"
 *   it uses is an undefined instruction, which exception.c recognises and
 *   turns into "semihosting unavailable".
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/boot.h"
#include "arch/semihosting.h"
#include "hal/cpu.h"
#include "hal/power.h"
#include "kernel/boot_info.h"
#include "lib/printf.h"

#define PSCI_SYSTEM_OFF 0x84000008

static enum psci_conduit power_conduit = PSCI_CONDUIT_NONE;

void power_init(const struct boot_info *bi)
{
    power_conduit = bi->psci;
}

static void psci_call(uint64_t function)
{
    register uint64_t x0 __asm__("x0") = function;

    if (power_conduit == PSCI_CONDUIT_HVC) {
        __asm__ volatile("hvc #0" : "+r"(x0)::"memory");
    } else if (power_conduit == PSCI_CONDUIT_SMC) {
        __asm__ volatile("smc #0" : "+r"(x0)::"memory");
    }
}

void hal_power_off(int status)
{
    if (status != 0 || power_conduit == PSCI_CONDUIT_NONE) {
        semihosting_exit(status);
        /* Still here: QEMU runs without semihosting. */
        if (status != 0) {
            kprintf("power: exit status %d is lost: QEMU has no semihosting"
                    " (add -semihosting-config enable=on,target=native)\n",
                    status);
        }
    }
    psci_call(PSCI_SYSTEM_OFF);
    kprintf("power: no way to power off (no PSCI, no semihosting); halting\n");
    hal_cpu_halt();
}
