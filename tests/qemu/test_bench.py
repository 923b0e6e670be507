"""make bench's image, run once at small iteration counts: every figure is
there, positive and plausible. No timing thresholds: figures are reported
(docs/benchmarks.md), never asserted."""
import json
import re

from qemu import boot, expect

ICOUNT = ["-icount", "shift=0,sleep=off"]

FIGURES = [
    "frame.alloc_free.ram256M",
    "vspace.map_unmap.1", "vspace.map.1", "vspace.unmap.1",
    "vspace.map_unmap.100", "vspace.map_unmap.1000", "vspace.map_unmap.10000",
    "sched.pick.1", "sched.pick.10", "sched.pick.100", "sched.pick.1000",
    "kipc.rt.w0", "kipc.rt.w4", "kipc.rt.w64",
    "kipc.rt.w4.ready1", "kipc.rt.w4.ready10", "kipc.rt.w4.ready50",
    "irq.timer", "irq.spi",
    "task.spawn_exit", "fault.kill",
    "syscall.null", "syscall.yield_alone",
    "ipc.xas.rt.w0", "ipc.xas.rt.w1", "ipc.xas.rt.w4", "ipc.xas.rt.w10",
    "ipc.xas.rt.w64", "ipc.thread.rt.w4", "irq.user_notify",
    "ipc.xas.call.w4", "ipc.xas.reply.w4",
    "notify.wakeup", "yield.switch",
]


def figures(run):
    found = {}
    for m in re.finditer(r"^bench: (\{.*\})$", run.output, re.M):
        figure = json.loads(m.group(1))
        found[figure["name"]] = figure
    return found


def test_every_figure_is_present_and_plausible(kernel):
    run = boot(kernel, "demo=bench iterations=20 slow_iterations=3 exit", extra=ICOUNT,
               timeout=120)
    expect(run, 0, [
        r"^bench: PMU check, two sequences 64 nops apart: cycle counter \+\d+ and \+\d+, "
        r"INST_RETIRED \(supported\)",
        r"^bench: the cycle counter advances exactly once per instruction",
        r"^bench: \d+ figures, instructions per operation",
        r"^bench: done; free frames (\d+) before, \1 after",
    ])
    assert "bench: skipped" not in run.output, run.explain()
    found = figures(run)
    missing = [name for name in FIGURES if name not in found]
    assert not missing, f"missing figures {missing}\n{run.explain()}"
    for name in FIGURES:
        figure = found[name]
        assert figure["unit"] == "instructions", run.explain()
        assert figure["samples"] in (3, 20), run.explain()
        assert 10 <= figure["value"] <= 10**7, f"{name} = {figure['value']}\n{run.explain()}"
    # The table at the end lists every figure again.
    for name in FIGURES:
        assert re.search(rf"^  {re.escape(name)} +\d+ +\d+  ", run.output, re.M), run.explain()
