"""Memory scenarios: the memory demo (DEADBEEF through a new address space and
the 4-level walk), W^X for kernel text, guard-paged kernel stacks, and free-frame
totals that match the RAM size exactly."""
import re

import pytest

from qemu import boot, expect

FRAME = r"^  #\d+\s+0x[0-9a-f]{16}\s+"
PAGE = 4096


@pytest.mark.smoke
def test_memory_demo_reads_deadbeef_through_a_new_address_space(kernel):
    run = boot(kernel, "demo=memory exit")
    expect(run, 0, [
        r"^vspace: kernel map: image \d+ KiB \(text RX, rodata R NX, data RW NX\), "
        r"linear map \d+ MiB RW NX, 3 device windows;",
        r"^mm: kernel_end 0x[0-9a-f]+ \(virtual 0xffff0000[0-9a-f]+\)$",
        r"^mm: free_start 0x[0-9a-f]+000: the bump allocator's first frame$",
        r"^mm: first frames from the buddy allocator:( 0x[0-9a-f]+000){3}$",
        r"^mm: wrote and read back 1536 words through the linear map: 0 wrong$",
        r"^mm: new address space: root table 0x[0-9a-f]+, ASID \d+; "
        r"VA 0x400000 -> frame 0x[0-9a-f]+: OK, 4 tables$",
        r"^mm: wrote 0xdeadbeef through the linear map alias 0xffff0000",
        r"^mm: read back 0xdeadbeef through VA 0x400000$",
        r"^mm: walk of VA 0x0000000000400000 = index L0 0 \| L1 0 \| L2 2 \| L3 0 \| offset 0x000$",
        r"^mm:   L0 table 0x[0-9a-f]+ \[  0\] = 0x[0-9a-f]{16}  table, next level at 0x",
        r"^mm:   L1 table 0x[0-9a-f]+ \[  0\] = 0x[0-9a-f]{16}  table, next level at 0x",
        r"^mm:   L2 table 0x[0-9a-f]+ \[  2\] = 0x[0-9a-f]{16}  table, next level at 0x",
        r"^mm:   L3 table 0x[0-9a-f]+ \[  0\] = 0x[0-9a-f]{16}  page, OA 0x[0-9a-f]+, "
        r"AttrIndx 1 \(Normal WB\), AP 00 \(EL1 RW, EL0 --\), SH 11 \(inner\), AF 1, nG 1, "
        r"PXN 1, UXN 1$",
        r"^mm: the last page of RAM, 0x[0-9a-f]+, through the linear map:$",
        r"^mm:   L2 table 0x[0-9a-f]+ \[\s*\d+\] = 0x[0-9a-f]{16}  block, OA 0x[0-9a-f]+00000, "
        r"AttrIndx 1 \(Normal WB\), .*, nG 0, PXN 1, UXN 1$",
        r"^mm: unmapped VA 0x400000: translate says E_NOENT \(no such entry\), 1 table left$",
        r"^mm: free frames: (\d+) before, \d+ while mapped, \1 after destroy: all returned$",
        r"^mm: demo done \(MMU is ON\)$",
    ])
    # The walk really chains: each table named in a descriptor is the next level's table,
    # and the page's output address is the frame the demo mapped.
    frame = re.search(r"VA 0x400000 -> frame (0x[0-9a-f]+)", run.output).group(1)
    steps = re.findall(r"^mm:   L(\d) table (0x[0-9a-f]+) \[\s*\d+\] = (0x[0-9a-f]{16})",
                       run.output, re.M)[:4]
    assert [level for level, _, _ in steps] == ["0", "1", "2", "3"], run.explain()
    for (_, _, desc), (_, next_table, _) in zip(steps, steps[1:]):
        assert int(desc, 16) & 0xfffffffff000 == int(next_table, 16), run.explain()
    assert int(steps[3][2], 16) & 0xfffffffff000 == int(frame, 16), run.explain()


@pytest.mark.smoke
def test_writing_kernel_text_is_a_permission_fault(kernel):
    run = boot(kernel, "crash=text-write")
    expect(run, 3, [
        r"^test: crash=text-write requested$",
        r"^test: writing to kernel text at 0xffff0000402",
        r"^\*\*\* KERNEL EXCEPTION: Data Abort from current EL \*\*\*$",
        r"^  what:    permission fault, level 3, on a write$",
        r"^  where:   test_hook_text_write\+0x[0-9a-f]+ \(pc 0xffff0000",
        r"^  address: 0xffff0000402",
        r"^  ESR  0x000000009600004f  EC 0x25",
        r"^Backtrace:$",
        FRAME + r"test_hook_text_write\+0x",
        FRAME + r"test_hooks_run\+0x",
        FRAME + r"kmain\+0x",
    ], forbidden=[r"KERNEL PANIC"])


@pytest.mark.smoke
def test_kernel_stack_overflow_hits_the_guard(kernel):
    run = boot(kernel, "crash=stack-overflow")
    expect(run, 3, [
        r"^test: recursing on kstack slot (\d+), 0xffff8000[0-9a-f]+-0xffff8000[0-9a-f]+, "
        r"guard below$",
        r"^\*\*\* KERNEL EXCEPTION: kernel stack overflow \*\*\*$",
        r"^  stack:   kstack slot \d+ \(crash-test\), 0xffff8000[0-9a-f]{8}-0xffff8000[0-9a-f]{8}, "
        r"ran into its guard below$",
        r"^  class:   Data Abort from current EL$",
        r"^  what:    translation fault, level 3, on a write$",
        r"^  where:   test_hook_recurse",
        r"^  address: 0xffff8000",
        r"^  x30 0x[0-9a-f]{16}  sp  0xffff8000",
        r"^Backtrace:$",
        FRAME + r"test_hook_recurse",
        FRAME + r"test_hook_recurse",
        r"^kernel: stopped after an exception in the kernel$",
    ], forbidden=[r"KERNEL PANIC"])
    # The faulting address lies below the stack the hook announced, inside its guard.
    low = int(re.search(r"recursing on kstack slot \d+, (0x[0-9a-f]+)-", run.output).group(1), 16)
    address = int(re.search(r"^  address: (0x[0-9a-f]+)$", run.output, re.M).group(1), 16)
    assert low - 8192 <= address < low, run.explain()


def mem_ranges(run, what):
    return [(int(a, 16), int(b, 16)) for a, b in
            re.findall(rf"^mem: {what}\s+0x([0-9a-f]+)-0x([0-9a-f]+)", run.output, re.M)]


def frames_touched(base, end):
    """Frames a byte range covers, rounded outwards, as the allocator skips them."""
    return -(-end // PAGE) - base // PAGE


@pytest.mark.parametrize("mem,ram", [("128M", 128 << 20), ("2G", 2 << 30), ("4G", 4 << 30)])
def test_free_frames_match_the_ram_size(kernel, mem, ram):
    run = boot(kernel, "demo=memory exit", mem=mem)
    expect(run, 0, [r"^frame: (\d+) free frames", r"^vspace: kernel map:",
                    r"^mm: read back 0xdeadbeef", r"all returned$", r"^mm: demo done"])
    free = int(re.search(r"^frame: (\d+) free frames", run.output, re.M).group(1))
    rams = mem_ranges(run, "RAM")
    assert sum(end - base for base, end in rams) == ram
    # Everything is free except the kernel image, the DTB, the reserved ranges and the
    # allocator's own meta[] and use[] (one byte each per frame of the RAM span, right
    # after the kernel).
    span_frames = (max(end for _, end in rams) - min(base for base, _ in rams)) // PAGE
    taken = sum(frames_touched(b, e) for what in ("kernel", "dtb", "reserved")
                for b, e in mem_ranges(run, what))
    expected = ram // PAGE - taken - -(-2 * span_frames // PAGE)
    assert free == expected, f"free {free}, expected {expected}\n{run.explain()}"
    assert ram // PAGE - 2048 <= free <= ram // PAGE
    # The kernel's tables come out of those frames, and the demo gives back all it took.
    tables = int(re.search(r"^vspace: kernel map: .*, (\d+) tables$", run.output, re.M).group(1))
    before = int(re.search(r"^mm: free frames: (\d+) before", run.output, re.M).group(1))
    assert before <= free - tables, run.explain()
