/*
 * arch_exception: where an exception lands after vectors.S has saved the
 * full trap frame: every exception from the kernel, and from EL0 a fault,
 * the FP/SIMD trap or a vector with no handler. (System calls and
 * interrupts from EL0 take their own roads in vectors.S, to kernel_syscall
 * and arch_irq.) It handles what only the architecture understands (the
 * FP/SIMD trap, the semihosting probe), hands a fault from EL0 to the
 * core's kernel_user_fault() as a struct user_fault, and turns the rest
 * into a portable struct fault_info for kernel_fault().
 */
#include <stdbool.h>
#include <stdint.h>

#include "arch/esr.h"
#include "arch/semihosting.h"
#include "arch/trap_frame.h"
#include "hal/cpu.h"
#include "hal/fault.h"
#include "uapi/syscall.h"
#include "hal/irq.h"
#include "hal/user.h"
#include "lib/printf.h"

static const char *const vector_names[16] = {
    "Synchronous exception from current EL (SP_EL0)",
    "IRQ from current EL (SP_EL0)",
    "FIQ from current EL (SP_EL0)",
    "SError from current EL (SP_EL0)",
    "Synchronous exception from current EL",
    "IRQ from current EL",
    "FIQ from current EL",
    "SError from current EL",
    "Synchronous exception from EL0",
    "IRQ from EL0",
    "FIQ from EL0",
    "SError from EL0",
    "Synchronous exception from AArch32 EL0",
    "IRQ from AArch32 EL0",
    "FIQ from AArch32 EL0",
    "SError from AArch32 EL0",
};

void fpsimd_trap(void);

static bool is_abort(unsigned ec)
{
    return ec == EC_IABT_LOWER || ec == EC_IABT_CURRENT || ec == EC_DABT_LOWER ||
           ec == EC_DABT_CURRENT;
}

/* ESR.FnV (ISS bit 10 of an abort): FAR_EL1 does not hold the address. */
#define ESR_ABT_FNV (1u << 10)

/* Whether FAR_EL1 holds the address of an abort: not when ESR.FnV says it
 * is not valid (an external abort may leave it so). */
static bool abort_far_valid(uint64_t esr)
{
    return !(esr & ESR_ABT_FNV);
}

static void fault_decode(const struct trap_frame *tf, unsigned kind, struct fault_info *fi)
{
    unsigned ec = ESR_EC(tf->esr);

    fi->pc = tf->elr;
    fi->fp = tf->x[29];
    fi->address = tf->far;
    fi->address_valid = false;
    fi->from_user = kind >= VEC_LOWER_A64;
    fi->arch_frame = tf;
    fi->detail[0] = '\0';

    if ((kind & 3) != VEC_SYNC) {
        fi->class_name = vector_names[kind];
        ksnprintf(fi->detail, sizeof(fi->detail), "no handler is installed for this vector");
        return;
    }
    fi->class_name = esr_class_name(ec);
    if (is_abort(ec)) {
        esr_describe_abort(tf->esr, fi->detail, sizeof(fi->detail));
        fi->address_valid = abort_far_valid(tf->esr);
    } else if (ec == EC_PC_ALIGN) {
        fi->address_valid = true;
        ksnprintf(fi->detail, sizeof(fi->detail), "the PC is not a multiple of 4");
    } else if (ec == EC_SP_ALIGN) {
        ksnprintf(fi->detail, sizeof(fi->detail), "the SP is not a multiple of 16");
    } else if (ec == EC_BRK64) {
        ksnprintf(fi->detail, sizeof(fi->detail), "brk #%u", (unsigned)(tf->esr & 0xffff));
    } else if (ec == EC_UNKNOWN) {
        ksnprintf(fi->detail, sizeof(fi->detail), "the instruction at the PC is not defined");
    }
}

/* The raw facts of a synchronous exception from EL0, for kernel_user_fault.
 * The address of an abort whose FAR is not valid (ESR.FnV) is unknown: 0,
 * as for a fault that has none; the handler can tell from the syndrome. */
static void user_fault_describe(const struct trap_frame *tf, struct user_fault *uf)
{
    unsigned ec = ESR_EC(tf->esr);

    uf->pc = tf->elr;
    uf->syndrome = tf->esr;
    uf->address = 0;
    if (ec == EC_DABT_LOWER) {
        uf->kind = (tf->esr & ESR_DABT_WNR) ? FAULT_WRITE : FAULT_READ;
    } else if (ec == EC_IABT_LOWER) {
        uf->kind = FAULT_EXEC;
    } else {
        uf->kind = FAULT_OTHER;
        return;
    }
    if (abort_far_valid(tf->esr)) {
        uf->address = tf->far;
    }
}

/* Called from vectors.S for an interrupt (el0_irq, or arch_exception for
 * one from the kernel). One at a time: if another is pending, the CPU takes
 * its vector again right after the eret. */
void arch_irq(void)
{
    uint32_t irq = hal_irq_acknowledge();

    if (irq != HAL_IRQ_NONE) {
        kernel_irq(irq);
    }
}

/* Called from vectors.S with the saved frame and the vector kind (0-15, or VEC_KSTACK_OVERFLOW). */
void arch_exception(struct trap_frame *tf, uint64_t kind)
{
    /* A kernel stack overflowed; we are on the emergency stack (vectors.S) and
     * cannot go back. kernel_fault() names the stack from the fault address. */
    if (kind == VEC_KSTACK_OVERFLOW) {
        struct fault_info fi;
        fault_decode(tf, VEC_CUR_SPX + VEC_SYNC, &fi);
        kernel_fault(&fi);
        hal_cpu_halt();
    }

    /* An interrupt from the kernel. (From EL0 they take their own road:
     * el0_irq in vectors.S.) */
    if (kind == VEC_CUR_SPX + VEC_IRQ) {
        arch_irq();
        return;
    }

    /* From user mode: the lazy FP/SIMD hand-over, or a fault. (System calls
     * take their own road from the vector: el0_svc in vectors.S.) */
    if (kind == VEC_LOWER_A64 + VEC_SYNC && ESR_EC(tf->esr) == EC_FP_ACCESS) {
        fpsimd_trap();
        return;
    }

    /* "hlt #0xf000" with semihosting off: note it and step over. */
    if (kind == VEC_CUR_SPX + VEC_SYNC && ESR_EC(tf->esr) == EC_UNKNOWN &&
        *(const uint32_t *)tf->elr == SEMIHOSTING_HLT_INSN) {
        semihosting_mark_unavailable();
        tf->elr += 4;
        return;
    }

    /* A fault in user mode: its task's handler may take it (kernel/user_fault.c). */
    if (kind == VEC_LOWER_A64 + VEC_SYNC) {
        struct user_fault uf;
        user_fault_describe(tf, &uf);
        kernel_user_fault(tf, &uf);
        return;
    }

    struct fault_info fi;
    fault_decode(tf, (unsigned)kind, &fi);
    kernel_fault(&fi);
}

void hal_fault_decode_user(const struct trap_frame *tf, struct fault_info *fi)
{
    fault_decode(tf, VEC_LOWER_A64 + VEC_SYNC, fi);
}

static void dump_spsr(uint64_t spsr)
{
    static const char *const modes[16] = {
        "EL0t", "?",    "?", "?", "EL1t", "EL1h", "?", "?",
        "EL2t", "EL2h", "?", "?", "EL3t", "EL3h", "?", "?",
    };
    kprintf("  SPSR 0x%016llx  %s, masked:%s%s%s%s, flags %c%c%c%c\n", (unsigned long long)spsr,
            modes[spsr & 0xf], (spsr & (1 << 9)) ? " D" : "", (spsr & (1 << 8)) ? " A" : "",
            (spsr & (1 << 7)) ? " I" : "", (spsr & (1 << 6)) ? " F" : "",
            (spsr & (1u << 31)) ? 'N' : 'n', (spsr & (1 << 30)) ? 'Z' : 'z',
            (spsr & (1 << 29)) ? 'C' : 'c', (spsr & (1 << 28)) ? 'V' : 'v');
}

void hal_fault_dump_registers(const struct fault_info *fi)
{
    const struct trap_frame *tf = fi->arch_frame;

    kprintf("  ESR  0x%016llx  EC 0x%02x, IL %u, ISS 0x%07x\n", (unsigned long long)tf->esr,
            (unsigned)ESR_EC(tf->esr), (unsigned)ESR_IL(tf->esr), (unsigned)ESR_ISS(tf->esr));
    kprintf("  FAR  0x%016llx%s\n", (unsigned long long)tf->far,
            fi->address_valid ? "" : "  (not valid for this exception)");
    kprintf("  ELR  0x%016llx\n", (unsigned long long)tf->elr);
    dump_spsr(tf->spsr);
    for (int i = 0; i < 31; i += 3) {
        kprintf("  ");
        for (int j = i; j < i + 3 && j < 31; j++) {
            kprintf("x%-2d 0x%016llx  ", j, (unsigned long long)tf->x[j]);
        }
        if (i == 30) {
            kprintf("sp  0x%016llx", (unsigned long long)tf->sp);
        }
        kprintf("\n");
    }
}
