"""User mode: tasks at EL0 in their own address spaces, system calls, faults
that kill only their own task, and the user-side test suite."""
import re

import pytest

from qemu import boot, expect

USER_FORBIDDEN = [r"KERNEL PANIC", r"KERNEL EXCEPTION", r"isolation is broken",
                  r"the fault did not happen", r"^not ok "]


def frames_balanced(run):
    m = re.search(r"^user: init exited with status 0; free frames (\d+) before, (\d+) after$",
                  run.output, re.M)
    assert m, run.explain()
    assert m.group(1) == m.group(2), "frames leaked\n" + run.explain()


@pytest.mark.smoke
def test_ping_pong_between_two_el0_tasks(kernel):
    run = boot(kernel, "demo=user exit")
    lines = [r"^init: running at EL0 in address space \d+ \(task 1\), mode 'user'$"]
    expect(run, 0, lines, forbidden=USER_FORBIDDEN)
    for seq in range(1, 6):
        expect(run, 0, [rf"^ping: sent ping seq={seq}$", rf"^pong: got ping seq={seq} from task \d+$",
                        rf"^ping: got pong seq={seq}$"], forbidden=USER_FORBIDDEN)
    spaces = re.findall(r"^(ping|pong): task \d+ at EL0, address space (\d+), page tables at (0x[0-9a-f]+)$",
                        run.output, re.M)
    assert len(spaces) == 2, run.explain()
    assert spaces[0][1] != spaces[1][1] and spaces[0][2] != spaces[1][2], run.explain()
    expect(run, 0, [r"^pong: asked to quit, exiting$",
                    r"^init: ping exited with 0, pong with 0$"], forbidden=USER_FORBIDDEN)
    frames_balanced(run)
    # Five calls and their replies fit in registers: the fast path took them.
    m = re.search(r"^user: (\d+) IPC operations took the register fast path$", run.output, re.M)
    assert m and int(m.group(1)) >= 9, run.explain()


def test_isolation(kernel):
    run = boot(kernel, "demo=isolation exit")
    expect(run, 0, [
        r"^snoop: 0x400000 holds 0x[0-9a-f]{16}: my own code, not another task's$",
    ], forbidden=USER_FORBIDDEN)
    assert re.search(r"^task \d+ \(snoop\) killed: Data Abort from a lower EL: translation fault, "
                     r"level \d, on a read, at pc 0x[0-9a-f]+, address 0x200000000000\.", run.output,
                     re.M), run.explain()
    assert re.search(r"^task \d+ \(snoop\) killed: Data Abort from a lower EL: permission fault, "
                     r"level \d, on a read, at pc 0x[0-9a-f]+, address 0xffff000040200000 "
                     r"\(an address in the kernel's half", run.output, re.M), run.explain()
    expect(run, 0, [r"^ping: got pong seq=5$",
                    r"^init: snoop \(other task\) ended with E_DEAD \(killed\), snoop \(kernel\) "
                    r"with E_DEAD \(killed\), ping with 0$"], forbidden=USER_FORBIDDEN)
    frames_balanced(run)


@pytest.mark.parametrize("kind,report", [
    ("null", r"Data Abort from a lower EL: translation fault, level \d, on a write, .*\(a null pointer\)"),
    ("exec", r"Instruction Abort from a lower EL: translation fault, level \d, on an instruction fetch"),
    ("undef", r"Unknown reason \(undefined instruction\)"),
    ("priv", r"Trapped system register access"),
    ("pc-align", r"PC alignment fault"),
    ("brk", r"BRK instruction: brk #66"),
    ("stack", r"Data Abort from a lower EL: translation fault.*\(user stack overflow: the guard page below the stack\)"),
    ("kernel", r"Data Abort from a lower EL: permission fault, level \d, on a write.*\(an address in the kernel's half"),
])
def test_each_fault_kills_only_its_task(kernel, kind, report):
    run = boot(kernel, "demo=faults exit")
    expect(run, 0, [rf"^fault: committing '{kind}'$",
                    rf"^task \d+ \(fault\) killed: {report}",
                    rf"^init: 'fault {kind}' ended with E_DEAD \(killed\)$",
                    r"^init: 0 of 8 faulting tasks survived; init is still running$"],
           forbidden=USER_FORBIDDEN)
    frames_balanced(run)


USERTEST_CASES = [
    "unknown_syscall", "simple_calls", "bad_pointers", "unterminated_string", "map_unmap",
    "handles", "mailbox_and_long_messages", "handle_transfer", "unreachable_mailboxes_are_freed",
    "server_killed_during_call",
    "every_message_length_round_trips", "fast_path_and_mailbox_agree",
    "fast_path_leaves_the_odd_calls_to_the_slow_path", "fast_path_with_a_queued_sender",
    "fast_path_after_a_server_forgets_a_caller",
    "fast_and_slow_paths_keep_the_abi", "fp_state_across_both_paths",
    "registers_across_an_interrupt", "callee_saved_registers_across_every_parking_call",
    "fast_path_ping_pong_leaves_time_for_others", "reply_recv_without_a_caller_keeps_no_handle",
    "a_killed_sender_keeps_no_handle", "a_killed_receiver_keeps_no_handle",
    "a_dying_server_keeps_no_handle", "two_threads_of_one_task", "thread_create_limits",
    "a_fault_kills_every_thread_of_the_task", "task_kill", "task_wait_on_itself",
    "fault_handler_resumes_or_ends", "fault_handler_death_ends_the_faulting_task",
    "fault_handler_and_task_map_arguments",
    "ipc_buffer_area_is_the_kernels", "tls_register_is_each_threads_own",
    "more_address_spaces_than_asids",
    "irq_to_notification", "spawn_exit_cycles",
    "random_syscalls", "fp_across_preemption",
]


@pytest.mark.smoke
def test_user_test_suite(kernel):
    # Every case, in order, each with the kernel's object counts back where they were.
    run = boot(kernel, "demo=usertest exit", timeout=180)
    lines = [rf"^ok {i + 1} {name}$" for i, name in enumerate(USERTEST_CASES)]
    lines += [rf"^usertest: {len(USERTEST_CASES)} passed, 0 failed$",
              r"^init: usertest exited with 0$"]
    expect(run, 0, lines, forbidden=USER_FORBIDDEN + [r"left kernel objects behind"])
    frames_balanced(run)


RACETEST_CASES = [
    "map_spawn", "spawn_unmap", "exit_during_map", "two_mappers", "exit_during_spawn",
    "kill_during_map", "map_is_preemptible", "faults_under_fire", "task_map_outlives_handle",
    "mapper_killed_mid_map", "mixed",
]


@pytest.mark.smoke
def test_races_at_one_millisecond_slices(kernel):
    # System calls racing each other while the slice ends at any instruction.
    run = boot(kernel, "demo=racetest slice_ms=1 exit", timeout=240)
    lines = [rf"^ok {i + 1} {name}$" for i, name in enumerate(RACETEST_CASES)]
    lines += [rf"^racetest: {len(RACETEST_CASES)} passed, 0 failed$",
              r"^init: racetest exited with 0$"]
    expect(run, 0, lines,
           forbidden=USER_FORBIDDEN + [r"left kernel objects behind"])
    frames_balanced(run)


def test_more_address_spaces_than_asids(kernel):
    # The CPU's 16-bit ASIDs: one for every task, no rollover.
    run = boot(kernel, "demo=usertest only=more_address_spaces_than_asids exit")
    expect(run, 0, [r"^mmu: 16-bit ASIDs, 65535 for user address spaces$",
                    r"^    # 16-bit ASIDs, 0 rollovers during the case$",
                    r"^ok 1 more_address_spaces_than_asids$", r"^usertest: 1 passed, 0 failed$"],
           forbidden=USER_FORBIDDEN)
    # asid_bits=2: three ASIDs for fourteen tasks, handed round by generations.
    run = boot(kernel, "demo=usertest only=more_address_spaces_than_asids asid_bits=2 exit")
    expect(run, 0, [r"^mmu: 2-bit ASIDs, 3 for user address spaces \(asid_bits=2; the CPU has 16\)$",
                    r"^    # 2-bit ASIDs, [1-9]\d* rollovers during the case$",
                    r"^ok 1 more_address_spaces_than_asids$", r"^usertest: 1 passed, 0 failed$"],
           forbidden=USER_FORBIDDEN)


def test_races_with_two_bit_asids(kernel):
    # The race scenarios again, with an ASID rollover every few spawns.
    run = boot(kernel, "demo=racetest slice_ms=1 asid_bits=2 exit", timeout=240)
    lines = [rf"^ok {i + 1} {name}$" for i, name in enumerate(RACETEST_CASES)]
    lines += [rf"^racetest: {len(RACETEST_CASES)} passed, 0 failed$"]
    expect(run, 0, lines, forbidden=USER_FORBIDDEN + [r"left kernel objects behind"])
    frames_balanced(run)


def test_pan_catches_a_direct_kernel_access_to_user_memory(kernel):
    # Cortex-A76 has PAN: the stray access faults loudly.
    run = boot(kernel, "crash=pan", cpu="cortex-a76")
    expect(run, 3, [r"^test: PAN is on; reading user address 0x500000 directly from the kernel$",
                    r"^\*\*\* KERNEL EXCEPTION: Data Abort from current EL \*\*\*$",
                    r"^  what:    permission fault, level 3, on a read$",
                    r"^  address: 0x0000000000500000$"], forbidden=[r"nothing stopped it"])


def test_without_pan_only_the_checked_copies_protect(kernel):
    # Cortex-A53 (ARMv8.0) has no PAN: the same access goes through, which is
    # why every system call copies user memory through kernel/umem.c.
    run = boot(kernel, "crash=pan demo=boot exit")
    expect(run, 0, [r"^test: PAN is not available on this CPU; reading user address 0x500000",
                    r"^test: the read returned 0x0: nothing stopped it$"])


def test_user_demo_is_the_default(kernel):
    run = boot(kernel, "exit")
    expect(run, 0, [r"^boot: running demo 'user'$", r"^ping: got pong seq=5$"],
           forbidden=USER_FORBIDDEN)


@pytest.mark.parametrize("slice_ms", [10, 1])
def test_pager_maps_memory_on_demand(kernel, slice_ms):
    # A task touches 100 pages nobody mapped; its fault handler, another
    # task, maps each on demand, and the task reads back what it wrote.
    run = boot(kernel, f"demo=pager slice_ms={slice_ms} exit")
    expect(run, 0, [
        r"^pager: 100 faults served, 100 pages mapped on demand, 0 refused; "
        r"the worker read back every page and exited with 0$",
        r"^init: pager exited with 0$",
    ], forbidden=USER_FORBIDDEN + [r"killed"])
    frames_balanced(run)
