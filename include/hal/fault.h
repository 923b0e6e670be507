/*
 * What the architecture tells the core about an exception it cannot handle
 * itself. The arch code decodes its syndrome registers into words; the core
 * (kernel/fault.c) decides what to do and prints the report.
 */
#ifndef HAL_FAULT_H
#define HAL_FAULT_H

#include <stdbool.h>
#include <stdint.h>

struct fault_info {
    const char *class_name; /* e.g. "Data Abort from current EL" */
    char detail[96];        /* e.g. "translation fault, level 0, on a write" */
    uint64_t pc;            /* the instruction that faulted */
    uint64_t fp;            /* its frame pointer, where the backtrace starts */
    uint64_t address;       /* the faulting data/instruction address */
    bool address_valid;
    bool from_user;
    const void *arch_frame; /* the saved registers, for hal_fault_dump_registers */
};

/* The core's handler for faults and unexpected exceptions. For a fault in
 * the kernel it prints the report and powers off; it does not return. */
void kernel_fault(const struct fault_info *fi);

/* A fault in user mode: report it and kill the task (kernel/user_fault.c). */
__attribute__((noreturn)) void user_fault_kill(const struct fault_info *fi);

struct trap_frame;

/* A fault in user mode as the architecture first reports it: raw, before
 * anything is decoded into words (a handler may make that unnecessary). */
struct user_fault {
    unsigned kind;     /* FAULT_READ, ... (uapi/syscall.h) */
    uint64_t address;  /* the faulting address of an abort, else 0 */
    uint64_t pc;       /* the instruction that faulted */
    uint64_t syndrome; /* the architecture's own (ESR_EL1) */
};

/*
 * The core's handler for a fault in user mode (kernel/user_fault.c): hands
 * it to the task's fault handler, if it has one. Returns if the thread is
 * to go on, from tf (whose pc the handler may have changed); otherwise
 * ends the task, with the report hal_fault_decode_user makes.
 */
void kernel_user_fault(struct trap_frame *tf, const struct user_fault *uf);

/* The full decoding of a user fault's frame, for its report. */
void hal_fault_decode_user(const struct trap_frame *tf, struct fault_info *fi);

/* Prints the syndrome registers, decoded, and the general registers. */
void hal_fault_dump_registers(const struct fault_info *fi);

#endif
