/* The system call registers in the saved trap frame (see include/hal/user.h). */
#include "arch/trap_frame.h"
#include "hal/user.h"

uint64_t hal_syscall_number(const struct trap_frame *tf)
{
    return tf->x[8];
}

uint64_t hal_syscall_reg(const struct trap_frame *tf, unsigned n)
{
    return n < 8 ? tf->x[n] : 0;
}

void hal_syscall_set_reg(struct trap_frame *tf, unsigned n, uint64_t value)
{
    if (n < 8) {
        tf->x[n] = value;
    }
}
