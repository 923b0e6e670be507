"""Kernel faults and panics give a decoded report, a symbolized backtrace,
and a non-zero exit status (3)."""
import pytest

from qemu import boot, expect

FRAME = r"^  #\d+\s+0x[0-9a-f]{16}\s+"


@pytest.mark.smoke
def test_null_write_report(kernel):
    run = boot(kernel, "crash=null")
    expect(run, 3, [
        r"^test: crash=null requested$",
        r"^\*\*\* KERNEL EXCEPTION: Data Abort from current EL \*\*\*$",
        r"^  what:    translation fault, level 0, on a write$",
        r"^  where:   test_hook_null_write\+0x[0-9a-f]+ \(pc 0xffff0000",
        r"^  address: 0x0000000000000000$",
        r"^  ESR  0x0000000096000044  EC 0x25",
        r"^  SPSR 0x[0-9a-f]{16}  EL1h, masked: D A I F",
        r"^  x0  0x[0-9a-f]{16}",
        r"^  x30 0x[0-9a-f]{16}  sp  0xffff0000",
        r"^Backtrace:$",
        FRAME + r"test_hook_null_write\+0x",
        FRAME + r"test_hooks_run\+0x",
        FRAME + r"kmain\+0x",
        FRAME + r"arch_boot_main\+0x",
    ], forbidden=[])


@pytest.mark.smoke
def test_undefined_instruction_report(kernel):
    run = boot(kernel, "crash=undef")
    expect(run, 3, [
        r"^\*\*\* KERNEL EXCEPTION: Unknown reason \(undefined instruction\) \*\*\*$",
        r"^  where:   hal_debug_undefined_instruction\+0x",
        r"^  ESR  0x0000000002000000  EC 0x00",
        FRAME + r"test_hooks_run\+0x",
    ], forbidden=[])


@pytest.mark.smoke
def test_panic_report(kernel):
    run = boot(kernel, "crash=panic")
    expect(run, 3, [
        r"^\*\*\* KERNEL PANIC: test hook: crash=panic \*\*\*$",
        r"^Backtrace:$",
        FRAME + r"test_hooks_run\+0x",
        FRAME + r"kmain\+0x",
    ], forbidden=[r"KERNEL EXCEPTION"])


def test_unknown_crash_kind_is_harmless(kernel):
    run = boot(kernel, "crash=bogus exit")
    expect(run, 0, [r"^test: unknown crash kind 'bogus'", r"powering off$"])


def test_backtrace_walks_through_the_system_call_entry(kernel):
    # The lean system call entry saves a frame record {x29, elr}: a panic
    # inside a handler shows the handler, the entry, and the user program's
    # svc (a user address, unnamed) below them.
    run = boot(kernel, "crash=syscall")
    expect(run, 3, [
        r"^test: crash=syscall requested$",
        r"^\*\*\* KERNEL PANIC: test hook: crash=syscall, inside a system call \*\*\*$",
        r"^Backtrace:$",
        FRAME + r"sys_debug_write\+0x",
        FRAME + r"el0_svc\+0x",
        r"^  #\d+\s+0x0000000000[0-9a-f]{6}\s+",
    ], forbidden=[r"KERNEL EXCEPTION"])
