/*
 * Ending a run. QEMU exits when the machine powers off; with semihosting
 * enabled (-semihosting-config enable=on,target=native) it exits with the
 * status we choose, which is how tests learn whether a run passed.
 */
#ifndef HAL_POWER_H
#define HAL_POWER_H

/* Exit statuses of a run, as QEMU reports them. */
enum power_status {
    POWER_EXIT_OK = 0,
    POWER_EXIT_TEST_FAILED = 1,
    POWER_EXIT_BAD_ARGS = 2,
    POWER_EXIT_PANIC = 3,
};

/*
 * Powers the machine off with status. Status 0 uses PSCI SYSTEM_OFF (QEMU
 * exits 0) where PSCI exists, and semihosting otherwise (secure=on); other
 * statuses use semihosting SYS_EXIT, falling back to PSCI (and a printed
 * warning that the status is lost) when semihosting is off, and to halting
 * the CPU when neither exists.
 */
__attribute__((noreturn)) void hal_power_off(int status);

#endif
