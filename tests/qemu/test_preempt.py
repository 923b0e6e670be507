"""Interrupts, the timer and preemption, judged by the guest's own counter.

No test depends on how fast the host is: orders and counts come from the
kernel, durations from CNTVCT, and the bounds are generous."""
import re

import pytest

from qemu import boot, expect


def spin_lines(run):
    return [l for l in run.lines() if re.match(r"^[A-H]: loop count \d+ \(slice \d+\)$", l)]


@pytest.mark.smoke
@pytest.mark.parametrize("threads", [2, 4])
def test_spinning_threads_all_make_progress(kernel, threads):
    rounds = 4
    run = boot(kernel, f"demo=preempt threads={threads} rounds={rounds} exit")
    expect(run, 0, [rf"^preempt: {threads} threads spin without ever yielding; 10 ms slices$",
                    rf"^preempt: every thread got at least {rounds} slices"])
    # Round robin: the threads take their slices in turn, A B C D A B C D ...
    # (Only the first rounds; once the demo says stop, threads end as they come.)
    lines = spin_lines(run)[:threads * rounds]
    names = [l[0] for l in lines]
    expected = [chr(ord("A") + i % threads) for i in range(threads * rounds)]
    assert names == expected, run.explain()
    # Each thread's loop count grows from one slice to its next.
    for name in expected[:threads]:
        counts = [int(re.search(r"loop count (\d+)", l).group(1)) for l in lines if l[0] == name]
        assert counts == sorted(counts) and counts[-1] > counts[0], run.explain()


def test_slice_length_from_command_line(kernel):
    run = boot(kernel, "demo=preempt threads=2 rounds=3 slice_ms=4 exit")
    expect(run, 0, [r"^sched: preemptive, 4 ms time slices", r"4 ms slices$"])


def parse_ms(text):
    return float(text)


@pytest.mark.smoke
def test_sleepers_wake_in_deadline_order_never_early(kernel):
    run = boot(kernel, "demo=sleep rounds=2 exit")
    expect(run, 0, [
        r"^sleep: s10 woke after [\d.]+ ms \(asked 10 ms: not early\)$",
        r"^sleep: s20 woke after [\d.]+ ms \(asked 20 ms: not early\)$",
        r"^sleep: s30 woke after [\d.]+ ms \(asked 30 ms: not early\)$",
    ], forbidden=[r"EARLY", r"KERNEL PANIC", r"KERNEL EXCEPTION"])
    for line in run.lines():
        m = re.match(r"^sleep: s(\d+) woke after ([\d.]+) ms", line)
        if m:
            assert parse_ms(m.group(2)) >= int(m.group(1)), line


def test_high_priority_sleeper_preempts_a_spinner(kernel):
    # The spinner never yields; the sleeper still runs as soon as it wakes,
    # and the spinner is found preempted (READY), not finished or blocked.
    run = boot(kernel, "demo=sleep rounds=3 exit")
    lines = [l for l in run.lines() if l.startswith("sleep: high-priority wake")]
    assert len(lines) == 3, run.explain()
    for line in lines:
        m = re.match(r"^sleep: high-priority wake \d after ([\d.]+) ms, spinner READY "
                     r"\(not early\)$", line)
        assert m, run.explain()
        assert 20.0 <= parse_ms(m.group(1)) < 20.0 + 2000, line


def test_timer_ticks_agree_with_the_counter(kernel):
    rounds, period = 8, 25
    run = boot(kernel, f"demo=timer rounds={rounds} period_ms={period} exit")
    expect(run, 0, [rf"^timer: tick {rounds} at "])
    m = re.search(rf"^timer: {rounds} ticks of {period} ms took ([\d.]+) ms by the counter "
                  r"\((\d+) counter ticks\)$", run.output, re.M)
    assert m, run.explain()
    elapsed = parse_ms(m.group(1))
    counter_ms = int(m.group(2)) / 62500.0
    assert rounds * period <= elapsed <= rounds * period + 2000, run.explain()
    assert abs(counter_ms - elapsed) < 50, run.explain()
    # One-shot timer: one interrupt per tick (a couple more at most), where a
    # blind 10 ms tick would have taken rounds * period / 10 of them.
    m = re.search(r"^timer: (\d+) timer interrupts for (\d+) ticks$", run.output, re.M)
    assert m and int(m.group(1)) <= rounds + 2, run.explain()


def test_unhandled_interrupt_is_reported_once_and_masked(kernel):
    run = boot(kernel, "irqtest=unhandled demo=boot exit")
    expect(run, 0, [
        r"^irq: interrupt 30 has no handler; masking it$",
        r"^test: raised interrupt 30, which has no handler$",
        r"^test: 20 ms later: 1 unhandled interrupt\(s\), kernel still running$",
        r"^boot: demo 'boot' finished, powering off$",
    ])
    assert run.output.count("has no handler; masking it") == 1, run.explain()


@pytest.mark.parametrize("machine,entry", [
    ("virt,gic-version=2,virtualization=on", "EL2"),
    ("virt,gic-version=2,secure=on", "EL3"),
])
def test_interrupts_work_after_every_entry_level(kernel, machine, entry):
    run = boot(kernel, "demo=preempt threads=2 rounds=3 exit", machine=machine)
    expect(run, 0, [rf"boot OK \({entry} -> EL1\)$", r"^preempt: every thread got at least 3"])
