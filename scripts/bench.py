#!/usr/bin/env python3
"""make bench: run the kernel's benchmarks under QEMU and report them.

The kernel does the measuring (demo "bench", kernel/demos/bench.c); this
script only boots it and collects its "bench: {...}" lines. It needs the
kernel built already (make bench builds it first) and nothing but Python's
standard library.

What it runs:
  1. the whole benchmark under -icount shift=0,sleep=off (where the cycle
     counter counts instructions), with -m 256M, plus the frame allocator
     alone with -m 128M, 512M and 2G;
  2. all of that a second time, and it fails if any figure differs: under
     icount every figure must repeat exactly;
  3. once without -icount, for the "cycles" column (host-dependent, noisy);
  4. once with -singlestep -d exec: an instruction trace of one IPC round
     trip, broken down by kernel function and by phase (entry, decode,
     lookup, IPC, switch, exit).

Then it prints a table and writes build/bench.json. With --docs FILE it
instead rewrites the generated parts of FILE (docs/benchmarks.md) from an
existing JSON file.
"""
import argparse
import bisect
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
ICOUNT = ["-icount", "shift=0,sleep=off"]
MAIN_MEM = "256M"
RAM_SIZES = ["128M", "512M", "2G"]
FIGURE_LINE = re.compile(r"^bench: (\{.*\})\s*$", re.M)
TRACE_LINE = re.compile(rb"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
KERNEL_BASE = 0xFFFF000000000000

TABLE_START, TABLE_END = "<!-- bench-table:start -->", "<!-- bench-table:end -->"
TRACE_START, TRACE_END = "<!-- bench-breakdown:start -->", "<!-- bench-breakdown:end -->"
COMPARE_START, COMPARE_END = "<!-- bench-compare:start -->", "<!-- bench-compare:end -->"
CLANG_START, CLANG_END = "<!-- bench-clang:start -->", "<!-- bench-clang:end -->"

# Other kernels' figures (docs/benchmarks.md names the sources): seL4's
# published cycles on Cortex-A53 boards; seL4 (its sel4bench) and LK (its
# thread_tests) counted in instructions under this same QEMU and flags; and
# ours to reach. Rows: operation, our figures, seL4 A53 cycles, seL4 QEMU
# instructions, LK QEMU instructions, must (what the fast-path work set
# out to reach), goal, note ({name} is our figure).
COMPARISON = [
    ("IPC call + reply_recv round trip, 2 address spaces, 4 words", ["ipc.xas.rt.w4"],
     "538 (260 + 278)", "406 (191 + 215)", "-", "<= 300", "<= 200", ""),
    ("... the call, one way", ["ipc.xas.call.w4"], "260", "191", "-", "<= 150", "<= 100", ""),
    ("... the reply_recv, one way", ["ipc.xas.reply.w4"], "278", "215", "-", "<= 150", "<= 100",
     ""),
    ("the same, two threads of one task", ["ipc.thread.rt.w4"], "-", "-", "-", "<= 300", "<= 200",
     ""),
    ("the same, 10 words (beyond the registers)", ["ipc.xas.rt.w10"], "-", "1390", "-", "<= 900",
     "<= 400", ""),
    ("null system call", ["syscall.null"], "130", "91", "-", "<= 60", "<= 50",
     "an unused number (E_NOSYS)"),
    ("yield with nothing else ready", ["syscall.yield_alone"], "-", "about 308", "152", "<= 40",
     "<= 30", ""),
    ("thread switch (a yield that switches)", ["yield.switch"], "499", "325", "665", "<= 250",
     "<= 150", ""),
    ("notification: signal, then the wait returns", ["notify.wakeup"], "-", "384-635", "-",
     "<= 380", "<= 200", "per direction of a ping-pong: both system calls"),
    ("IRQ to a user-mode handler's notification", ["irq.user_notify"], "-", "about 330", "-",
     "<= 330", "<= 160", "software-raised; includes the trigger system call; a kernel "
     "handler: {irq.spi}"),
    ("map one 4 KiB page from EL0", ["syscall.map_page"], "-", "about 372", "-", "<= 372",
     "<= 150", "the system call included; a fresh zeroed frame; the kernel's own map: "
     "{vspace.map.1}"),
    ("user fault to its handler and back", ["fault.user_handler_rt"], "-", "1129", "-",
     "<= 1100", "<= 500", "handler in another address space; fault to kill: {fault.kill}"),
    ("scheduler pick, 1 and 1000 ready", ["sched.pick.1", "sched.pick.1000"], "O(1)", "-", "O(1)",
     "", "flat", "run queue push + pop"),
]

# Where each instruction of the traced IPC round trip goes. Each PC is
# attributed to a function through the debug information's inline frames
# (addr2line -i): the innermost function that is not a small helper, so
# that code the compiler inlined (the fast path inlines most of the switch)
# still counts as what it is. The first phase whose prefixes match wins;
# anything else is "other".
PHASES = [
    ("entry", ["exception_vectors", "el0_fast", "el0_svc", "el0_yield", "el0_irq",
               "exception_entry", "arch_exception"]),
    ("exit", ["hal_user_resume", "el0_svc_return", "exception_return"]),
    ("lookup", ["handle_object", "handle_lookup", "syscall_lookup", "task_current"]),
    ("message", ["fastpath_transfer", "hal_syscall_copy_message", "hal_syscall_clear_message_tail",
                 "ipc_user_read_message", "ipc_user_write_message", "msg_", "ipc_transfer_"]),
    ("checks", ["sched_can_hand_off_to", "runqueue_has_above", "thread_is_user", "list_empty",
                "fastpath_length"]),
    ("switch", ["sched_", "task_activate", "umem_activate", "vspace_activate",
                "hal_mmu_install_user_root", "hal_fpsimd_", "fpsimd_", "hal_user_set_thread_pointer",
                "hal_user_switch_tls", "task_try_activate", "vspace_try_activate",
                "hal_context_", "kernel_after_switch", "context_resume_parked", "thread_",
                "runqueue_", "slice_", "hal_timer_", "sleepq_"]),
    ("decode", ["kernel_syscall", "sys_"]),
    ("ipc", ["ipc_", "grant_reply_right", "admit_waiting_sender", "endpoint_", "list_remove",
             "list_push_back"]),
]
# Small helpers inlined everywhere (register and list accessors, the
# interrupt mask, copies): their instructions count for the function they
# were inlined into.
HELPERS = ["hal_syscall_reg", "hal_syscall_set_reg", "hal_phys_to_virt", "sysreg_", "arch_isb",
           "klock_held", "hal_irq_local_enabled", "thread_current", "list_init", "list_insert",
           "memcpy", "memset", "unlikely"]
PHASE_ORDER = ["entry", "lookup", "checks", "ipc", "message", "decode", "switch", "exit", "other"]


class BenchError(Exception):
    pass


def qemu_command(build, cmdline, mem, extra):
    return [QEMU, "-machine", "virt,gic-version=2", "-cpu", "cortex-a53", "-m", mem,
            "-nographic", "-semihosting-config", "enable=on,target=native",
            "-kernel", os.path.join(build, "kernel.elf"), "-append", cmdline] + list(extra)


def check_output(command, status, output):
    if status != 0 or "KERNEL PANIC" in output or "KERNEL EXCEPTION" in output:
        raise BenchError(f"the benchmark run failed (status {status})\n"
                         f"command: {' '.join(command)}\noutput:\n{output}")


def boot(build, cmdline, mem=MAIN_MEM, extra=ICOUNT, timeout=600):
    """Boots the kernel, returns its output and the figures it printed, in order."""
    command = qemu_command(build, cmdline, mem, extra)
    try:
        proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchError(f"QEMU timed out after {timeout}s: {' '.join(command)}") from None
    output = proc.stdout.decode(errors="replace").replace("\r\n", "\n")
    check_output(command, proc.returncode, output)
    figures = [json.loads(m.group(1)) for m in FIGURE_LINE.finditer(output)]
    if not figures:
        raise BenchError(f"no figures in the output of {' '.join(command)}\n{output}")
    return output, figures


def run_all(build, iterations, slow, extra=ICOUNT, ram=True):
    """The whole benchmark once: every figure by name, in the order printed."""
    cmdline = f"demo=bench iterations={iterations} slow_iterations={slow} exit"
    output, figures = boot(build, cmdline, extra=extra)
    result = {f["name"]: f for f in figures}
    if ram:
        for mem in RAM_SIZES:
            _, more = boot(build, f"demo=bench bench=frame iterations={iterations} exit",
                           mem=mem, extra=extra)
            result.update({f["name"]: f for f in more})
    return output, result


def ordered(figures):
    """Figure names in report order: the frame figures by RAM size, together."""
    def ram_key(name):
        m = re.search(r"\.ram(\d+)M$", name)
        return int(m.group(1)) if m else 0
    names = list(figures)
    frame = sorted((n for n in names if n.startswith("frame.")), key=ram_key)
    rest = [n for n in names if not n.startswith("frame.")]
    at = next((i for i, n in enumerate(names) if n.startswith("frame.")), 0)
    rest[at:at] = frame
    return rest


def compare(first, second):
    problems = []
    for name in sorted(set(first) | set(second)):
        a, b = first.get(name), second.get(name)
        if a is None or b is None:
            problems.append(f"{name}: only in run {1 if b is None else 2}")
        elif (a["value"], a["unit"], a["samples"]) != (b["value"], b["unit"], b["samples"]):
            problems.append(f"{name}: {a['value']} {a['unit']} in run 1, "
                            f"{b['value']} {b['unit']} in run 2")
    return problems


# ---- the instruction trace of one IPC round trip ----

def load_symbols(build):
    """Text symbols of the kernel, from build/kernel.sym (nm -n)."""
    addresses, names = [], []
    with open(os.path.join(build, "kernel.sym")) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[1] in "TtWw" and not parts[2].startswith("$"):
                addresses.append(int(parts[0], 16))
                names.append(parts[2])
    return addresses, names


def symbol_of(symbols, pc):
    addresses, names = symbols
    i = bisect.bisect_right(addresses, pc) - 1
    return names[i] if i >= 0 else "?"


def is_helper(function):
    return any(function.startswith(p) for p in HELPERS)


def phase_of(function):
    for phase, prefixes in PHASES:
        if any(function.startswith(p) for p in prefixes):
            return phase
    return "other"


def inline_functions(build, pcs):
    """{pc: function}: the innermost function of each PC's inline chain that
    is not a helper (addr2line -i lists the chain innermost first)."""
    unique = sorted(set(pcs))
    tools = ["aarch64-linux-gnu-addr2line", "llvm-addr2line", "addr2line"]
    tool = next((t for t in tools if shutil.which(t)), None)
    if tool is None or not unique:
        return {}
    out = subprocess.run([tool, "-e", os.path.join(build, "kernel.elf"), "-f", "-i", "-a"] +
                         [hex(pc) for pc in unique], stdout=subprocess.PIPE, text=True,
                         check=True).stdout.splitlines()
    # Each address, then a function line and a file:line line per inline frame.
    chains, current = {}, None
    for line in out:
        if line.startswith("0x"):
            current = int(line, 16)
            chains[current] = []
        elif current is not None and ":" not in line:
            chains[current].append(line.strip())
    result = {}
    for pc, chain in chains.items():
        names = [f for f in chain if f and f != "??"]
        chosen = next((f for f in names if not is_helper(f)), names[-1] if names else None)
        if chosen:
            result[pc] = chosen
    return result


def read_trace_region(fifo, symbols):
    """Streams QEMU's exec log and keeps the PCs between the two task_info
    markers that "bench trace" puts around its traced call."""
    region, state = [], "before"
    with open(fifo, "rb") as log:
        for line in log:
            if state == "done":
                continue  # keep draining, or QEMU would block
            m = TRACE_LINE.match(line)
            if not m:
                continue
            pc = int(m.group(1), 16)
            in_marker = pc >= KERNEL_BASE and symbol_of(symbols, pc) == "sys_task_info"
            if state == "before" and in_marker:
                state = "marker"
            elif state == "marker" and pc < KERNEL_BASE:
                state = "region"
            if state == "region":
                if in_marker:
                    state = "done"
                else:
                    region.append(pc)
    return region


def split_spans(pcs):
    """[(is_kernel, [pc, ...]), ...]: runs of user and of kernel PCs."""
    spans = []
    for pc in pcs:
        kernel = pc >= KERNEL_BASE
        if not spans or spans[-1][0] != kernel:
            spans.append((kernel, []))
        spans[-1][1].append(pc)
    return spans


def describe_span(symbols, pcs, inlined):
    """One kernel span (vector entry to eret): instructions by phase and by
    function, each attributed through its inline chain (inlined) where the
    debug information has one, else by the symbol it lies in."""
    functions, phases = {}, {}
    for pc in pcs:
        name = inlined.get(pc) or symbol_of(symbols, pc)
        functions[name] = functions.get(name, 0) + 1
        phase = phase_of(name)
        phases[phase] = phases.get(phase, 0) + 1
    return {"instructions": len(pcs),
            "phases": {p: phases[p] for p in PHASE_ORDER if p in phases},
            "functions": sorted(functions.items(), key=lambda kv: (-kv[1], kv[0]))}


def echo_user_instructions():
    """BENCH_ECHO_USER_INSNS, the count the client subtracts for the echo server."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "user", "programs",
                        "bench_proto.h")
    with open(path) as f:
        m = re.search(r"^#define BENCH_ECHO_USER_INSNS\s+(\d+)", f.read(), re.M)
    if not m:
        raise BenchError(f"no BENCH_ECHO_USER_INSNS in {path}")
    return int(m.group(1))


def trace_round_trip(build):
    """Boots "bench=trace" with an instruction log and breaks the traced
    round trip down. Returns a dict for bench.json."""
    symbols = load_symbols(build)
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "exec.log")
        os.mkfifo(fifo)
        command = qemu_command(build, "demo=bench bench=trace exit", MAIN_MEM,
                               ICOUNT + ["-singlestep", "-d", "exec,nochain", "-D", fifo])
        out_path = os.path.join(tmp, "console.txt")
        with open(out_path, "wb") as out:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT)
            result = {}
            reader = threading.Thread(
                target=lambda: result.setdefault("pcs", read_trace_region(fifo, symbols)),
                daemon=True)
            reader.start()
            try:
                status = proc.wait(timeout=600)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise BenchError(f"the trace run timed out: {' '.join(command)}") from None
            reader.join(timeout=60)
        with open(out_path, "rb") as f:
            output = f.read().decode(errors="replace").replace("\r\n", "\n")
    check_output(command, status, output)
    m = re.search(r"^bench: traced call took (\d+) (\w+) by the counter$", output, re.M)
    if not m or "pcs" not in result:
        raise BenchError(f"the trace run printed no traced call\n{output}")
    spans = split_spans(result["pcs"])
    # user (ours, ending "mrs; svc"), call path, user (the server), reply path, user (ours) ...
    if len(spans) < 5 or spans[0][0] or not spans[1][0] or spans[2][0] or not spans[3][0]:
        raise BenchError("the traced region does not look like one round trip "
                         f"({len(spans)} spans)")
    window = 2 + len(spans[1][1]) + len(spans[2][1]) + len(spans[3][1])
    if window != int(m.group(1)) and m.group(2) == "instructions":
        raise BenchError(f"the trace ({window}) and the counter ({m.group(1)}) disagree")
    echo_insns = echo_user_instructions()
    if len(spans[2][1]) != echo_insns:
        raise BenchError(f"the echo server ran {len(spans[2][1])} user instructions between "
                         f"the kernel's halves; user/programs/bench_proto.h says {echo_insns}")
    inlined = inline_functions(build, spans[1][1] + spans[3][1])
    return {
        "counter": int(m.group(1)),
        "unit": m.group(2),
        "trace_window": window,
        "call": describe_span(symbols, spans[1][1], inlined),
        "server_user": len(spans[2][1]),
        "reply": describe_span(symbols, spans[3][1], inlined),
    }


# ---- reporting ----

def print_table(report):
    figures = report["figures"]
    width = max(len(f["what"]) for f in figures)
    print(f"\n{'name':26} {'operation':{width}} {'instructions':>12} {'cycles*':>10}")
    for f in figures:
        insns = str(f["value"]) if f["unit"] == "instructions" else "-"
        cycles = str(f["cycles"]) if f.get("cycles") is not None else "-"
        print(f"{f['name']:26} {f['what']:{width}} {insns:>12} {cycles:>10}")
    print("* cycles: one run without -icount, where QEMU's cycle counter follows host time "
          "at a nominal 1 GHz; they vary from run to run and host to host.")
    trace = report.get("ipc_trace")
    if trace:
        print(f"\nIPC round trip, 2 address spaces, 4 words, by instruction trace "
              f"(counter: {trace['counter']}, trace: {trace['trace_window']}):")
        for half in ("call", "reply"):
            phases = ", ".join(f"{p} {n}" for p, n in trace[half]["phases"].items())
            print(f"  {half:5} {trace[half]['instructions']:5}  {phases}")
        print(f"  (the server's own user instructions in between: {trace['server_user']})")


def markdown_table(report):
    lines = ["| name | operation | instructions |", "|---|---|---:|"]
    for f in report["figures"]:
        value = f["value"] if f["unit"] == "instructions" else f"{f['value']} {f['unit']}"
        lines.append(f"| `{f['name']}` | {f['what']} | {value} |")
    lines.append("")
    lines.append(f"Generated by `make bench-docs`: {report['qemu']}, "
                 f"`-icount {ICOUNT[1]}`, {report['iterations']} iterations per figure "
                 f"({report['slow_iterations']} for spawns), identical in "
                 f"{report['identical_runs']} runs.")
    return "\n".join(lines)


def markdown_breakdown(report):
    trace = report.get("ipc_trace")
    if not trace:
        return "(no trace in this report)"
    call, reply = trace["call"], trace["reply"]
    lines = [f"One traced round trip (4 words, two address spaces): the counter said "
             f"**{trace['counter']}** {trace['unit']} from the client's first `mrs` to its "
             f"second, and the trace holds **{trace['trace_window']}** instructions in the "
             f"same window: 2 of the client (`mrs`, `svc`), {call['instructions']} in the "
             f"kernel for the call, {trace['server_user']} of the echo server (its loop and "
             f"its `svc`), and {reply['instructions']} in the kernel for the reply.", "",
             "Each instruction counts for the function it comes from, through the inline "
             "frames of the debug information (the fast path inlines most of its callees), "
             "and each function for a phase (`scripts/bench.py`, `PHASES`).", "",
             "| phase | call | reply_recv |", "|---|---:|---:|"]
    for phase in PHASE_ORDER:
        values = [call["phases"].get(phase, 0), reply["phases"].get(phase, 0)]
        if any(values):
            lines.append(f"| {phase} | " + " | ".join(str(v) for v in values) + " |")
    lines.append(f"| **total** | **{call['instructions']}** | **{reply['instructions']}** |")
    lines += ["", f"Round trip: **{call['instructions'] + reply['instructions']}**.", "",
              "By function (inlined ones under their own names):", "",
              "| function | phase | call | reply_recv |", "|---|---|---:|---:|"]
    a, b = dict(call["functions"]), dict(reply["functions"])
    for name in sorted(set(a) | set(b), key=lambda n: (-(a.get(n, 0) + b.get(n, 0)), n)):
        lines.append(f"| `{name}` | {phase_of(name)} | {a.get(name, 0)} | {b.get(name, 0)} |")
    return "\n".join(lines)


def markdown_comparison(report):
    values = {f["name"]: f["value"] for f in report["figures"] if f["unit"] == "instructions"}
    def ours(names):
        found = [str(values[n]) for n in names if n in values]
        return " / ".join(found) if found else "-"
    lines = ["| operation | this kernel (instructions, QEMU) | seL4 (cycles, Cortex-A53) | "
             "seL4 (instructions, QEMU) | LK (instructions, QEMU) | must | goal | note |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for op, names, sel4_cycles, sel4_insns, lk, must, goal, note in COMPARISON:
        note = re.sub(r"\{([\w.]+)\}", lambda m: str(values.get(m.group(1), "?")), note)
        lines.append(f"| {op} | {ours(names)} | {sel4_cycles} | {sel4_insns} | {lk} | {must} | "
                     f"{goal} | {note} |")
    return "\n".join(lines)


def markdown_toolchains(report, clang):
    """The user-mode figures of the GCC build beside the clang build's."""
    gcc_values = {f["name"]: f for f in report["figures"]}
    clang_values = {f["name"]: f["value"] for f in clang["figures"]}
    lines = ["| name | GCC -O2 | clang -O2 |", "|---|---:|---:|"]
    for f in report["figures"]:
        if f["name"].startswith(("syscall.", "ipc.", "notify.", "yield.", "irq.user",
                                 "fault.user")) and f["name"] in clang_values:
            lines.append(f"| `{f['name']}` | {gcc_values[f['name']]['value']} | "
                         f"{clang_values[f['name']]} |")
    lines += ["", "Generated by `make bench-docs`, which runs `make bench` for both "
              "toolchains (the clang build in `BUILD/llvm`)."]
    return "\n".join(lines)


def replace_between(text, start, end, body):
    if start not in text or end not in text:
        raise BenchError(f"markers {start} / {end} not found")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}\n{end}{tail}"


def write_docs(json_path, docs_path, clang_json_path=None):
    with open(json_path) as f:
        report = json.load(f)
    with open(docs_path) as f:
        text = f.read()
    text = replace_between(text, TABLE_START, TABLE_END, markdown_table(report))
    text = replace_between(text, TRACE_START, TRACE_END, markdown_breakdown(report))
    text = replace_between(text, COMPARE_START, COMPARE_END, markdown_comparison(report))
    if clang_json_path:
        with open(clang_json_path) as f:
            clang = json.load(f)
        text = replace_between(text, CLANG_START, CLANG_END, markdown_toolchains(report, clang))
    with open(docs_path, "w") as f:
        f.write(text)
    print(f"bench: rewrote the generated sections of {docs_path} from {json_path}")


def qemu_version():
    out = subprocess.run([QEMU, "--version"], stdout=subprocess.PIPE, check=True)
    return out.stdout.decode().splitlines()[0].replace("QEMU emulator version", "QEMU").strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="the kernel build directory")
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--slow-iterations", type=int, default=50,
                        help="iterations of the figures that spawn a task")
    parser.add_argument("--runs", type=int, default=2, help="identical runs required")
    parser.add_argument("--no-cycles", action="store_true", help="skip the run without icount")
    parser.add_argument("--no-trace", action="store_true", help="skip the instruction trace")
    parser.add_argument("--json", default=None, help="where to write (default BUILD/bench.json)")
    parser.add_argument("--docs", metavar="FILE",
                        help="only rewrite FILE's generated sections from the JSON file")
    parser.add_argument("--clang-json", metavar="FILE",
                        help="with --docs: the clang build's JSON, for the toolchain table")
    args = parser.parse_args()
    json_path = args.json or os.path.join(args.build, "bench.json")
    try:
        if args.docs:
            write_docs(json_path, args.docs, args.clang_json)
            return 0
        runs = []
        for i in range(args.runs):
            print(f"bench: run {i + 1} of {args.runs} under -icount {ICOUNT[1]} ...", flush=True)
            output, figures = run_all(args.build, args.iterations, args.slow_iterations)
            if i == 0:
                print("\n".join(l for l in output.splitlines() if l.startswith("bench: ")
                                and not l.startswith("bench: {")))
            runs.append(figures)
        for i in range(1, len(runs)):
            problems = compare(runs[0], runs[i])
            if problems:
                print("bench: FAILED: figures differ between runs under icount:\n  " +
                      "\n  ".join(problems), file=sys.stderr)
                return 1
        print(f"bench: all {len(runs[0])} figures identical in {len(runs)} runs")
        figures = runs[0]
        if not args.no_cycles:
            print("bench: one run without icount, for cycles ...", flush=True)
            _, cycles = run_all(args.build, args.iterations, args.slow_iterations, extra=[],
                                ram=False)
            for name, f in cycles.items():
                if name in figures and f["unit"] == "cycles":
                    figures[name]["cycles"] = f["value"]
        report = {
            "qemu": qemu_version(),
            "machine": "virt,gic-version=2 -cpu cortex-a53",
            "icount": ICOUNT[1],
            "iterations": args.iterations,
            "slow_iterations": args.slow_iterations,
            "identical_runs": len(runs),
            "figures": [figures[n] for n in ordered(figures)],
        }
        if not args.no_trace:
            print("bench: tracing one IPC round trip (-singlestep -d exec) ...", flush=True)
            report["ipc_trace"] = trace_round_trip(args.build)
        print_table(report)
        with open(json_path, "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")
        print(f"\nbench: wrote {json_path}")
        return 0
    except (BenchError, OSError) as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
