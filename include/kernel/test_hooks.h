/*
 * Test hooks: command-line switches that make the kernel misbehave on
 * purpose, so tests (and curious learners) can see the failure reports.
 *
 *   crash=null    write through a null pointer (Data Abort, translation fault)
 *   crash=undef   execute an undefined instruction (Unknown reason)
 *   crash=panic   call panic()
 *   crash=syscall panic inside the first SYS_DEBUG_WRITE from user mode: the
 *                 backtrace walks through the system call entry into the
 *                 user program (arch/aarch64/vectors.S's frame record)
 *   crash=pan     read user memory directly (faults only where the CPU has PAN)
 *   crash=text-write      write to kernel text (Data Abort, permission fault:
 *                         the text is read-only, W^X)
 *   crash=stack-overflow  recurse without end on a guard-paged kernel stack
 *                         (the report says "kernel stack overflow")
 *   irqtest=unhandled  raise an interrupt nobody handles (it must be
 *                      reported once and masked, not storm)
 */
#ifndef KERNEL_TEST_HOOKS_H
#define KERNEL_TEST_HOOKS_H

#include <stdbool.h>

/* Runs the hook the command line asks for, if any. A known hook never
 * returns, but crash=syscall (and crash=pan), which arm or check something
 * for later. */
void test_hooks_run(const char *cmdline);

/* crash=syscall is armed. */
extern bool test_hook_syscall_panic;

/* Runs the hooks that need interrupts and the timer (irqtest=...). */
void test_hooks_run_late(const char *cmdline);

#endif
