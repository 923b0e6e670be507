/*
 * The host test build's user-mode pieces: there is no EL0 on the host, so
 * entering user mode is a test bug, and FP/SIMD state needs no switching
 * (the host's own threads library keeps it).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "arch/trap_frame.h"
#include "hal/context.h"
#include "hal/fpsimd.h"
#include "hal/fault.h"
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

/* No thread parks on the host: there are no user threads. */
void hal_context_park(struct hal_context *ctx, struct trap_frame *frame)
{
    (void)ctx;
    (void)frame;
    fprintf(stderr, "fake_user: hal_context_park called in a host test\n");
    abort();
}

bool hal_context_is_parked(const struct hal_context *ctx)
{
    (void)ctx;
    return false;
}

void hal_user_resume(struct trap_frame *frame)
{
    (void)frame;
    fprintf(stderr, "fake_user: hal_user_resume called in a host test\n");
    abort();
}

struct trap_frame *hal_user_frame(void *kstack_top)
{
    return (struct trap_frame *)((char *)kstack_top - sizeof(struct trap_frame));
}

void hal_user_set_thread_pointer(uint64_t value)
{
    (void)value;
}

/* The one TPIDR_EL0 of the fake CPU. */
uint64_t fake_user_tls;

void hal_user_switch_tls(uint64_t *prev_value, uint64_t next_value)
{
    *prev_value = fake_user_tls;
    fake_user_tls = next_value;
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

/* No user mode on the host: no user fault to decode. */
void hal_fault_decode_user(const struct trap_frame *tf, struct fault_info *fi)
{
    (void)tf;
    (void)fi;
    fprintf(stderr, "fake_user: hal_fault_decode_user called in a host test\n");
    abort();
}

/* The test hooks are set from the kernel command line (kernel/test_hooks.c),
 * which the host build has none of; the one a system call reads stays off. */
bool test_hook_syscall_panic;
