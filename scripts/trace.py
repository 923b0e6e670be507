#!/usr/bin/env python3
"""make trace: draw what a traced kernel recorded.

A kernel built with CONFIG_TRACE=1 (include/kernel/trace.h) prints its event
rings at the end of the demo, between "trace: begin" and "trace: end"
(kernel/trace.c shows the format). This script reads that console log and
writes:

  --json FILE  the Chrome trace-event format, for https://ui.perfetto.dev or
               chrome://tracing: one lane per thread with an "X" slice per
               stretch it ran, IPC as flow arrows ("s" at the sender, "f" at
               the receiver's next slice), interrupts, system calls and user
               faults as instant events ("i");
  --svg FILE   the same as one self-contained SVG timeline for any browser:
               one lane per thread, IPC arrows, interrupt marks. Stretches in
               which nothing happens are drawn shorter, marked with their
               length, so a 10 ms slice and a 1 us round trip both show.

It needs nothing but Python's standard library, and tests/qemu/test_trace.py
imports it to check a trace against the demo that made it.
"""
import argparse
import bisect
import json
import math
import os
import re
import sys
from collections import defaultdict, deque, namedtuple
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

Event = namedtuple("Event", "cpu time type kind thread a b c")
Slice = namedtuple("Slice", "cpu thread start end how")

LINE = re.compile(r"^trace: (\d+) (\d+) (\w+) ([\w-]+) (\d+) (\d+) (\d+) (\d+)\s*$")
KIND_OF_IPC = ("send", "call", "reply")


class Trace:
    """What one dump holds: the counter's rate, thread names, events by CPU."""

    def __init__(self):
        self.hz = 0
        self.names = {}
        self.events = []  # every CPU's, in the order each CPU recorded them
        self.dropped = {}
        self.timer_irq = None  # from the console's "sched: ... irq N" line
        self.console = []  # the lines that are not the dump
        self._start = None

    def name(self, tid):
        return self.names.get(tid, f"thread {tid}")

    def label(self, tid):
        return f"{self.name(tid)} ({tid})"

    def start(self):
        if self._start is None:
            self._start = min(e.time for e in self.events) if self.events else 0
        return self._start

    def us(self, ticks):
        """Microseconds since the first event."""
        return (ticks - self.start()) * 1e6 / self.hz


def parse(text):
    """Reads a console log; raises ValueError if it holds no complete dump."""
    trace = Trace()
    inside = done = False
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if line.startswith("trace: begin"):
            m = re.search(r"hz (\d+)", line)
            trace.hz = int(m.group(1)) if m else 0
            inside = True
            continue
        if not inside:
            m = re.match(r"^sched: preemptive.* irq (\d+)$", line)
            if m:
                trace.timer_irq = int(m.group(1))
            trace.console.append(line)
            continue
        if line == "trace: end":
            inside, done = False, True
            continue
        m = re.match(r"^trace: thread (\d+) (.*)$", line)
        if m:
            trace.names[int(m.group(1))] = m.group(2)
            continue
        m = re.match(r"^trace: cpu (\d+) events (\d+) dropped (\d+)$", line)
        if m:
            trace.dropped[int(m.group(1))] = int(m.group(3))
            continue
        m = LINE.match(line)
        if m:
            cpu, time, type_, kind, thread, a, b, c = m.groups()
            trace.events.append(Event(int(cpu), int(time), type_, kind, int(thread), int(a),
                                      int(b), int(c)))
            continue
        trace.console.append(line)  # a line of another thread, printed mid-dump
    if not done or trace.hz <= 0:
        raise ValueError("no complete trace in the log: was the kernel built with "
                         "CONFIG_TRACE=1 and did the demo finish?")
    return trace


def slices(trace):
    """The stretches each thread ran, from the switch events, per CPU. Before
    a CPU's first switch, the thread it switched from was running."""
    result = []
    by_cpu = defaultdict(list)
    for e in trace.events:
        by_cpu[e.cpu].append(e)
    for cpu, events in sorted(by_cpu.items()):
        current, since, how = None, events[0].time, "sched"
        for e in events:
            if e.type == "switch":
                result.append(Slice(cpu, e.a, since, e.time, how))
                current, since, how = e.b, e.time, e.kind
        if current is not None:
            result.append(Slice(cpu, current, since, events[-1].time, how))
    return result


def ipc_pairs(trace):
    """Matches each receive with the send it took: the oldest send not yet
    taken from the same sender on the same endpoint, or, for a message out of
    a mailbox (sender unknown), the oldest queued send on that endpoint; a
    reply with the oldest reply from that replier to that caller. Returns
    (pairs, sends never received, receives whose send was not recorded)."""
    sends = []  # every send, in order; taken[i] once received
    taken = []
    by_sender = defaultdict(deque)  # (kind, sender, endpoint) -> indexes into sends
    queued = defaultdict(deque)  # endpoint -> sends that found no receiver waiting
    replies = defaultdict(deque)  # (replier, caller) -> replies
    pairs, orphans = [], []
    for e in trace.events:
        if e.type == "send":
            i = len(sends)
            sends.append(e)
            taken.append(False)
            if e.kind == "reply":
                replies[(e.a, e.b)].append(i)
            else:
                by_sender[(e.kind, e.a, e.c)].append(i)
                if e.b == 0:
                    queued[e.c].append(i)
        elif e.type == "recv":
            if e.kind == "reply":
                candidates = replies[(e.a, e.b)]
            elif e.a:
                candidates = by_sender[(e.kind, e.a, e.c)]
            else:
                candidates = queued[e.c]
            while candidates and taken[candidates[0]]:
                candidates.popleft()  # received already, through another index
            if candidates:
                i = candidates.popleft()
                taken[i] = True
                pairs.append((sends[i], e))
            else:
                orphans.append(e)
    unreceived = [s for s, t in zip(sends, taken) if not t]
    return pairs, unreceived, orphans


def syscall_names():
    """SYS_* numbers to names, read from include/uapi/syscall.h."""
    names = {}
    try:
        with open(os.path.join(ROOT, "include", "uapi", "syscall.h")) as f:
            for m in re.finditer(r"\bSYS_([A-Z_]+)\s*=\s*(\d+)", f.read()):
                names[int(m.group(2))] = m.group(1).lower()
    except OSError:
        pass
    return names


def irq_name(trace, irq):
    return f"irq {irq} (timer)" if irq == trace.timer_irq else f"irq {irq}"


class SliceIndex:
    """Finds the slice a thread was in, or the next one it ran, at a time."""

    def __init__(self, all_slices):
        self.by_thread = defaultdict(list)
        for s in sorted(all_slices, key=lambda s: s.start):
            self.by_thread[s.thread].append(s)
        self.starts = {t: [s.start for s in ss] for t, ss in self.by_thread.items()}

    def at_or_after(self, thread, time):
        ss = self.by_thread.get(thread, [])
        i = bisect.bisect_right(self.starts.get(thread, []), time) - 1
        if i >= 0 and ss[i].start <= time <= ss[i].end:
            return ss[i]
        return ss[i + 1] if i + 1 < len(ss) else None


def inside(trace, s, time):
    """time (ticks) as microseconds, moved just inside slice s."""
    ts = trace.us(max(s.start, min(time, s.end)))
    start, end = trace.us(s.start), trace.us(s.end)
    margin = min(0.001, (end - start) / 4)
    return min(max(ts, start + margin), end - margin)


def chrome_json(trace):
    """The Chrome trace-event format: {"traceEvents": [...]}, times in us."""
    sys_names = syscall_names()
    all_slices = slices(trace)
    index = SliceIndex(all_slices)
    threads = sorted({s.thread for s in all_slices} | {e.thread for e in trace.events})
    out = [{"ph": "M", "name": "process_name", "ts": 0, "pid": 1, "tid": 0,
            "args": {"name": "kernel"}}]
    for tid in threads:
        out.append({"ph": "M", "name": "thread_name", "ts": 0, "pid": 1, "tid": tid,
                    "args": {"name": trace.label(tid)}})
        out.append({"ph": "M", "name": "thread_sort_index", "ts": 0, "pid": 1, "tid": tid,
                    "args": {"sort_index": tid}})
    for s in all_slices:
        out.append({"ph": "X", "name": trace.name(s.thread), "cat": "run",
                    "ts": trace.us(s.start), "dur": trace.us(s.end) - trace.us(s.start),
                    "pid": 1, "tid": s.thread,
                    "args": {"cpu": s.cpu, "switched_in_by": s.how}})
    for e in trace.events:
        base = {"ph": "i", "s": "t", "ts": trace.us(e.time), "pid": 1, "tid": e.thread}
        if e.type == "irq":
            out.append(dict(base, name=irq_name(trace, e.a), cat="irq",
                            args={"irq": e.a, "cpu": e.cpu}))
        elif e.type == "syscall":
            out.append(dict(base, name=sys_names.get(e.a, f"syscall {e.a}"), cat="syscall",
                            args={"number": e.a}))
        elif e.type == "sysret":
            result = e.b - (1 << 32) if e.b >= 1 << 31 else e.b
            out.append(dict(base, name=f"{sys_names.get(e.a, e.a)} returns {result}",
                            cat="syscall", args={"number": e.a, "result": result}))
        elif e.type == "fault":
            out.append(dict(base, name="user fault", cat="fault",
                            args={"kind": e.a, "address_low32": hex(e.b)}))
    pairs, _, _ = ipc_pairs(trace)
    for n, (send, recv) in enumerate(pairs, 1):
        source = index.at_or_after(send.a, send.time)
        target = index.at_or_after(recv.b, recv.time)
        if not source or not target:
            continue
        args = {"sender": trace.label(send.a), "receiver": trace.label(recv.b),
                "endpoint": send.c - 1 if send.c else None}
        out.append({"ph": "s", "name": send.kind, "cat": "ipc", "id": n, "pid": 1,
                    "tid": send.a, "ts": inside(trace, source, send.time), "args": args})
        out.append({"ph": "f", "bp": "e", "name": send.kind, "cat": "ipc", "id": n, "pid": 1,
                    "tid": recv.b, "ts": inside(trace, target, recv.time), "args": args})
    return {"traceEvents": out, "displayTimeUnit": "ns",
            "otherData": {"source": "make trace (kernel/trace.c, scripts/trace.py)",
                          "counter_hz": trace.hz, "dropped": trace.dropped}}


# ---- the SVG timeline ----------------------------------------------------------

LABEL_W, LANE_H, TOP, AXIS_H = 170, 30, 56, 20
STEP_PX = 10  # the width of the median step from one moment to the next
LABEL_PX = 44  # steps at least this wide have their length written above them
MAX_W = 20000
IPC_COLORS = {"call": "#1f6fd1", "reply": "#1a9850", "send": "#e6760a"}


class TimeAxis:
    """Time to x. Between two consecutive moments where something happens,
    time runs linearly; the step itself is as wide as the logarithm of its
    length: the median step gets STEP_PX, one ten times longer about three
    times that, one ten thousand times longer thirteen times. So a 10 ms
    time slice and a 300 ns switch both show, and each wide step is
    labelled with its length."""

    def __init__(self, times, us):
        self.times = sorted(set(times))
        steps = [us(t1) - us(t0) for t0, t1 in zip(self.times, self.times[1:])]
        unit = sorted(steps)[len(steps) // 2] if steps else 1.0
        xs = [0.0]
        for d in steps:
            xs.append(xs[-1] + STEP_PX * math.log2(1 + d / unit))
        shrink = min(1.0, MAX_W / xs[-1]) if xs[-1] > 0 else 1.0
        self.xs = [x * shrink for x in xs]
        self.labels = [(a, b, d) for a, b, d in zip(self.xs, self.xs[1:], steps)
                       if b - a >= LABEL_PX]
        self.width = self.xs[-1]

    def x(self, t):
        i = bisect.bisect_right(self.times, t) - 1
        if i < 0:
            return LABEL_W
        if i + 1 >= len(self.times):
            return LABEL_W + self.xs[-1]
        t0, t1 = self.times[i], self.times[i + 1]
        f = (t - t0) / (t1 - t0) if t1 > t0 else 0
        return LABEL_W + self.xs[i] + f * (self.xs[i + 1] - self.xs[i])


def lane_color(n):
    hues = [210, 30, 120, 280, 0, 170, 60, 320, 240, 90]
    return f"hsl({hues[n % len(hues)]},55%,62%)"


def fmt_us(us):
    return f"{us / 1000:.3f} ms" if us >= 1000 else f"{us:.1f} us"


def svg(trace):
    all_slices = slices(trace)
    index = SliceIndex(all_slices)
    lanes = sorted({s.thread for s in all_slices})
    row = {tid: i for i, tid in enumerate(lanes)}
    times = [e.time for e in trace.events] + [s.start for s in all_slices] + \
        [s.end for s in all_slices]
    axis = TimeAxis(times or [0], trace.us)
    width = int(LABEL_W + axis.width + 40)
    height = TOP + AXIS_H + LANE_H * len(lanes) + 70

    def lane_y(tid):
        return TOP + AXIS_H + LANE_H * row[tid]

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           "<defs>"]
    for kind, color in IPC_COLORS.items():
        out.append(f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="10" refY="5" '
                   f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
                   f'<path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>')
    out.append("</defs>")
    out.append(f'<rect width="{width}" height="{height}" fill="white"/>')
    total = trace.us(max(times)) if times else 0
    out.append(f'<text x="8" y="18" font-size="14" font-weight="bold">The kernel running: '
               f'{len(trace.events)} events, {fmt_us(total)} (make trace)</text>')
    out.append('<text x="8" y="36" fill="#555">Each lane is a thread; a bar is a stretch it '
               'ran. Arrows are messages (call, reply, send); red marks are interrupts. '
               'Time runs left to right on a compressed scale: long stretches are drawn '
               'shorter, with their length written above them.</text>')
    # The length of each wide step, then the lanes and their labels.
    axis_y = TOP + AXIS_H - 4
    for a, b, d in axis.labels:
        out.append(f'<line x1="{LABEL_W + a:.1f}" y1="{TOP}" x2="{LABEL_W + a:.1f}" '
                   f'y2="{TOP + AXIS_H + LANE_H * len(lanes)}" stroke="#eee"/>')
        out.append(f'<text class="step" x="{LABEL_W + (a + b) / 2:.1f}" y="{axis_y}" '
                   f'text-anchor="middle" font-size="10" fill="#777">'
                   f'{escape(fmt_us(d))}</text>')
    for tid in lanes:
        y = lane_y(tid)
        out.append(f'<line x1="{LABEL_W}" y1="{y + LANE_H}" x2="{width - 20}" '
                   f'y2="{y + LANE_H}" stroke="#ddd"/>')
        out.append(f'<text class="lane" x="8" y="{y + LANE_H / 2 + 4}">'
                   f'{escape(trace.label(tid))}</text>')
    # The slices.
    for s in all_slices:
        x0, x1 = axis.x(s.start), axis.x(s.end)
        y = lane_y(s.thread)
        title = (f"{trace.label(s.thread)} ran {fmt_us(trace.us(s.end) - trace.us(s.start))} "
                 f"from {fmt_us(trace.us(s.start))} (switched in: {s.how})")
        out.append(f'<rect class="slice" x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 1):.1f}" '
                   f'height="{LANE_H - 8}" fill="{lane_color(row[s.thread])}">'
                   f'<title>{escape(title)}</title></rect>')
    # System calls (small ticks), interrupts (red), faults (black).
    sys_names = syscall_names()
    for e in trace.events:
        if e.thread not in row:
            continue
        x, y = axis.x(e.time), lane_y(e.thread)
        if e.type == "syscall":
            out.append(f'<line class="syscall" x1="{x:.1f}" y1="{y + LANE_H - 8}" x2="{x:.1f}" '
                       f'y2="{y + LANE_H - 2}" stroke="#333"><title>'
                       f'{escape(sys_names.get(e.a, str(e.a)))} at {fmt_us(trace.us(e.time))}'
                       f'</title></line>')
        elif e.type == "irq":
            title = f"{irq_name(trace, e.a)} at {fmt_us(trace.us(e.time))}, " \
                    f"while {trace.label(e.thread)} ran"
            out.append(f'<g class="irq"><title>{escape(title)}</title>'
                       f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + LANE_H}" '
                       f'stroke="#d62728" stroke-width="2"/>'
                       f'<path d="M{x - 4:.1f},{y} L{x + 4:.1f},{y} L{x:.1f},{y + 6} z" '
                       f'fill="#d62728"/></g>')
        elif e.type == "fault":
            out.append(f'<g class="fault"><title>user fault at {fmt_us(trace.us(e.time))}'
                       f'</title><circle cx="{x:.1f}" cy="{y + LANE_H / 2}" r="5" '
                       f'fill="black"/></g>')
    # Messages: from the sender when it sent to the receiver when it ran next.
    pairs, _, _ = ipc_pairs(trace)
    for send, recv in pairs:
        target = index.at_or_after(recv.b, recv.time)
        if send.a not in row or recv.b not in row or not target:
            continue
        x0, y0 = axis.x(send.time), lane_y(send.a) + LANE_H / 2
        x1, y1 = axis.x(max(recv.time, target.start)), lane_y(recv.b) + LANE_H / 2
        color = IPC_COLORS.get(send.kind, "#555")
        where = f" on endpoint {send.c - 1}" if send.c else ""
        title = f"{send.kind} from {trace.label(send.a)} to {trace.label(recv.b)}{where}, " \
                f"sent at {fmt_us(trace.us(send.time))}"
        out.append(f'<line class="ipc" x1="{x0:.1f}" y1="{y0}" x2="{x1:.1f}" y2="{y1}" '
                   f'stroke="{color}" stroke-width="1.5" marker-end="url(#arrow-{send.kind})">'
                   f'<title>{escape(title)}</title></line>')
    # The legend.
    y = TOP + AXIS_H + LANE_H * len(lanes) + 30
    x = LABEL_W
    for kind, color in IPC_COLORS.items():
        out.append(f'<line x1="{x}" y1="{y}" x2="{x + 30}" y2="{y}" stroke="{color}" '
                   f'stroke-width="1.5" marker-end="url(#arrow-{kind})"/>'
                   f'<text x="{x + 36}" y="{y + 4}">{kind}</text>')
        x += 100
    out.append(f'<line x1="{x + 4}" y1="{y - 8}" x2="{x + 4}" y2="{y + 8}" stroke="#d62728" '
               f'stroke-width="2"/><text x="{x + 12}" y="{y + 4}">interrupt</text>')
    out.append(f'<line x1="{x + 110}" y1="{y + 2}" x2="{x + 110}" y2="{y + 8}" stroke="#333"/>'
               f'<text x="{x + 118}" y="{y + 4}">system call</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def summary(trace):
    pairs, unsent, orphans = ipc_pairs(trace)
    switches = sum(1 for e in trace.events if e.type == "switch")
    irqs = sum(1 for e in trace.events if e.type == "irq")
    dropped = sum(trace.dropped.values())
    return (f"trace: {len(trace.events)} events ({dropped} overwritten), "
            f"{len(trace.names)} threads, {switches} switches, {irqs} interrupts, "
            f"{len(pairs)} messages ({len(unsent)} sent but not received)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", help="the traced kernel's console output")
    parser.add_argument("--json", help="write the Chrome trace-event file here")
    parser.add_argument("--svg", help="write the SVG timeline here")
    parser.add_argument("--echo", action="store_true",
                        help="print the console first, without the dump")
    args = parser.parse_args()
    with open(args.log, errors="replace") as f:
        text = f.read()
    try:
        trace = parse(text)
    except ValueError as e:
        if args.echo:
            print(text, end="")
        print(f"trace.py: {args.log}: {e}", file=sys.stderr)
        return 1
    if args.echo:
        print("\n".join(trace.console))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(chrome_json(trace), f, indent=0)
            f.write("\n")
    if args.svg:
        with open(args.svg, "w") as f:
            f.write(svg(trace))
    print(summary(trace))
    for path in (args.json, args.svg):
        if path:
            print(f"trace: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
