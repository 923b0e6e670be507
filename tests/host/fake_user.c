/*
 * The host test build's user-mode pieces: there is no EL0 on the host, so
 * entering user mode is a test bug, and FP/SIMD state needs no switching
 * (the host's own threads library keeps it).
 */
#include <stdio.h>
#include <stdlib.h>

#include "hal/fpsimd.h"
#include "hal/user.h"
#include "kernel/boot_archive.h"

void hal_user_enter(uint64_t entry, uint64_t user_sp, uint64_t arg0, uint64_t arg1,
                    void *kstack_top)
{
    (void)entry;
    (void)user_sp;
    (void)arg0;
    (void)arg1;
    (void)kstack_top;
    fprintf(stderr, "fake_user: hal_user_enter called in a host test\n");
    abort();
}

void hal_user_set_thread_pointer(uint64_t value)
{
    (void)value;
}

int hal_pan_enabled(void)
{
    return 0;
}

void hal_fpsimd_switch_to(struct hal_fpsimd_state *state)
{
    (void)state;
}

void hal_fpsimd_forget(struct hal_fpsimd_state *state)
{
    (void)state;
}

void hal_fpsimd_init(struct hal_fpsimd_state *state)
{
    (void)state;
}

/* The host build carries no user programs. */
const struct boot_archive *boot_archive_kernel(void)
{
    return NULL;
}
