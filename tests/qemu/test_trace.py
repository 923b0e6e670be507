"""make trace: the picture of the kernel running, checked against the demo
that made it. Each case runs "make trace" itself (a kernel built with
CONFIG_TRACE=1 in <build>/trace, the demo, scripts/trace.py) and reads what
it wrote: the console, <build>/trace.json and <build>/trace.svg.

The figures are the kernel's own: who ran after whom, which interrupts came,
which messages went where. None depends on the host's speed."""
import importlib.util
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SVG_NS = "{http://www.w3.org/2000/svg}"


def load_trace_script():
    # By path: the standard library has a module called "trace" too.
    spec = importlib.util.spec_from_file_location("kernel_trace",
                                                  os.path.join(ROOT, "scripts", "trace.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


kernel_trace = load_trace_script()


def make_trace(build, demo, cmdline=""):
    """Runs make trace; returns the console, the parsed JSON and the SVG's root."""
    # A make of our own, not a sub-make of whatever runs the tests.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    command = ["make", "-s", f"-j{os.cpu_count() or 2}", f"BUILD={build}", "trace",
               f"DEMO={demo}", f"CMDLINE={cmdline}"]
    proc = subprocess.run(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
    out = proc.stdout.decode(errors="replace")
    assert proc.returncode == 0, f"{' '.join(command)}\n{out}"
    assert re.search(r"^trace: \d+ events \(0 overwritten\)", out, re.M), out
    with open(os.path.join(ROOT, build, "trace", "console.log"), errors="replace") as f:
        console = f.read().replace("\r\n", "\n")
    with open(os.path.join(ROOT, build, "trace.json")) as f:
        data = json.load(f)
    svg = ET.parse(os.path.join(ROOT, build, "trace.svg")).getroot()
    check_perfetto_fields(data)
    return console, data, svg


def check_perfetto_fields(data):
    events = data["traceEvents"]
    assert events
    for e in events:
        for field in ("ph", "ts", "pid", "tid", "name"):
            assert field in e, e
        if e["ph"] == "X":
            assert e["dur"] >= 0, e
        if e["ph"] == "i":
            assert e["s"] == "t", e
    # Every flow has its two ends, each on a thread's lane.
    starts = {e["id"]: e for e in events if e["ph"] == "s"}
    finishes = {e["id"]: e for e in events if e["ph"] == "f"}
    assert starts.keys() == finishes.keys()
    assert all(e["bp"] == "e" for e in finishes.values())


def thread_ids(data):
    """Lane label ("spinner A (4)") to thread id."""
    return {e["args"]["name"]: e["tid"] for e in data["traceEvents"]
            if e["ph"] == "M" and e["name"] == "thread_name"}


def tid_named(data, name):
    matches = [tid for label, tid in thread_ids(data).items()
               if re.fullmatch(rf"{re.escape(name)} \(\d+\)", label)]
    assert len(matches) == 1, (name, thread_ids(data))
    return matches[0]


def runs(data, tids):
    """The X slices of these threads in time order, a thread's consecutive
    slices merged (another thread, here main, may run in between): a list
    of (tid, first ts, last end)."""
    merged = []
    for e in sorted((e for e in data["traceEvents"] if e["ph"] == "X" and e["tid"] in tids),
                    key=lambda e: e["ts"]):
        if merged and merged[-1][0] == e["tid"]:
            merged[-1][2] = e["ts"] + e["dur"]
        else:
            merged.append([e["tid"], e["ts"], e["ts"] + e["dur"]])
    return merged


def svg_lane_labels(svg):
    return [t.text for t in svg.iter(f"{SVG_NS}text") if t.get("class") == "lane"]


def test_preempt_lanes_alternate_with_timer_marks(host_build):
    rounds = 4
    console, data, svg = make_trace(host_build, "preempt", f"rounds={rounds}")
    a, b = tid_named(data, "spinner A"), tid_named(data, "spinner B")
    sequence = runs(data, {a, b})
    # The switches say what the demo printed: A, B, A, B ... each line a new slice.
    printed = [line[0] for line in console.splitlines()
               if re.match(r"^[AB]: loop count \d+ \(slice \d+\)$", line)]
    assert len(printed) >= 2 * rounds, console
    drawn = ["A" if tid == a else "B" for tid, _, _ in sequence]
    assert drawn[:len(printed)] == printed, (drawn, printed)
    assert all(x != y for x, y in zip(drawn, drawn[1:])), drawn
    # The timer ended each of those slices: a timer mark inside every run
    # that the other spinner followed.
    timer = int(re.search(r"^sched: preemptive.* irq (\d+)$", console, re.M).group(1))
    marks = [e for e in data["traceEvents"]
             if e["ph"] == "i" and e["cat"] == "irq" and e["args"]["irq"] == timer]
    assert marks and all(e["name"] == f"irq {timer} (timer)" for e in marks)
    for tid, start, end in sequence[:len(printed) - 1]:
        assert any(e["tid"] == tid and start <= e["ts"] <= end for e in marks), (tid, start, end)
    # The SVG: a lane for each spinner, and every interrupt marked.
    labels = svg_lane_labels(svg)
    assert f"spinner A ({a})" in labels and f"spinner B ({b})" in labels, labels
    irqs = [e for e in data["traceEvents"] if e["ph"] == "i" and e["cat"] == "irq"]
    assert len([g for g in svg.iter(f"{SVG_NS}g") if g.get("class") == "irq"]) == len(irqs)


def flows(data):
    """(kind, sender tid, receiver tid) of every message arrow."""
    finishes = {e["id"]: e for e in data["traceEvents"] if e["ph"] == "f"}
    return [(e["name"], e["tid"], finishes[e["id"]]["tid"])
            for e in data["traceEvents"] if e["ph"] == "s"]


def check_every_send_received(console):
    trace = kernel_trace.parse(console)
    pairs, unreceived, unsent = kernel_trace.ipc_pairs(trace)
    assert pairs
    assert not unreceived, unreceived
    assert not unsent, unsent
    return trace


def test_user_ping_pong_calls_and_replies_as_arrows(host_build):
    console, data, svg = make_trace(host_build, "user")
    check_every_send_received(console)
    ping, pong = tid_named(data, "ping"), tid_named(data, "pong")
    pings = len(re.findall(r"^ping: sent ping seq=\d+$", console, re.M))
    pongs = len(re.findall(r"^ping: got pong seq=\d+$", console, re.M))
    assert pings == pongs > 0, console
    arrows = flows(data)
    assert arrows.count(("call", ping, pong)) == pings, arrows
    assert arrows.count(("reply", pong, ping)) == pongs, arrows
    # The fast path's hand-offs are switches too.
    assert any(e["ph"] == "X" and e["args"]["switched_in_by"] == "handoff"
               for e in data["traceEvents"])
    ipc_lines = [l for l in svg.iter(f"{SVG_NS}line") if l.get("class") == "ipc"]
    assert len(ipc_lines) == len(arrows)


def test_kernel_ipc_demo_mailbox_sends_are_all_received(host_build):
    rounds = 5
    console, data, _ = make_trace(host_build, "ipc", f"rounds={rounds}")
    check_every_send_received(console)
    ping, pong = tid_named(data, "ping"), tid_named(data, "pong")
    sent = len(re.findall(r"^task/ping: sent ping seq=\d+$", console, re.M))
    assert sent == rounds, console
    arrows = flows(data)
    assert arrows.count(("send", ping, pong)) == rounds, arrows
    assert arrows.count(("send", pong, ping)) == rounds, arrows


@pytest.mark.parametrize("text", ["", "boot: no dump here\n", "trace: begin cpus 1 hz 1\n"])
def test_a_log_without_a_whole_dump_is_refused(text):
    with pytest.raises(ValueError):
        kernel_trace.parse(text)
