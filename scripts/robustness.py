#!/usr/bin/env python3
"""make fault-inject and make fuzz: the long robustness runs.

Both boot the kernel once in QEMU, let a user program attack it, and judge
the run the way the QEMU scenarios do: the exit status, lines that must
appear, lines that must not (a kernel panic or exception report, a leak).
The whole serial output goes to a log file under the build directory; the
last line printed is the verdict, so a script can read it with tail -1.

  robustness.py fault-inject [--only SCENARIO] [--nth N]
      demo=faultinject: every kernel allocation point of each scenario made
      to fail in turn (user/programs/faultinj.c). Last line:
      "fault injection: N allocation points failed in turn, 0 leaks, 0 panics"

  robustness.py fuzz [--seed S] [--calls N]
      demo=fuzz at slice_ms=1: random system calls from several tasks of
      several threads, killed and respawned (user/programs/fuzz.c). Last line:
      "fuzz: N calls, seed S, 0 kernel faults, nothing leaked"

Exit status 0 when the run passed, 1 otherwise.
"""
import argparse
import os
import re
import subprocess
import sys

QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
KERNEL_REPORTS = re.compile(r"KERNEL PANIC|KERNEL EXCEPTION")


def boot(build, cmdline, timeout, log_path):
    """Boots build/kernel.elf, writes the output to log_path, returns (status, text)."""
    command = [QEMU, "-machine", "virt,gic-version=2", "-cpu", "cortex-a53", "-m", "256M",
               "-nographic", "-semihosting-config", "enable=on,target=native",
               "-kernel", os.path.join(build, "kernel.elf"), "-append", cmdline]
    print(f"robustness: {' '.join(command)}", flush=True)
    print(f"robustness: the serial output goes to {log_path}", flush=True)
    with open(log_path, "wb") as log:
        try:
            proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=log,
                                  stderr=subprocess.STDOUT, timeout=timeout)
            status = proc.returncode
        except subprocess.TimeoutExpired:
            status = None
    with open(log_path, "rb") as log:
        text = log.read().decode(errors="replace").replace("\r\n", "\n")
    return status, text


def judge(status, text, verdict_re, what):
    """Returns the verdict line, or prints why the run failed and returns None."""
    problems = []
    if status is None:
        problems.append("QEMU timed out")
    elif status != 0:
        problems.append(f"QEMU exited with status {status}")
    reports = [line for line in text.splitlines() if KERNEL_REPORTS.search(line)]
    if reports:
        problems.append(f"the kernel reported: {reports[0]}")
    verdicts = [line for line in text.splitlines() if verdict_re.search(line)]
    if not verdicts:
        problems.append(f"no '{what}' verdict line")
    for line in text.splitlines():
        if "leaked kernel objects" in line or "LEAKED" in line:
            problems.append(line.strip())
            break
    if problems:
        tail = "\n".join(text.splitlines()[-25:])
        print(f"robustness: the last lines of the run:\n{tail}")
        for problem in problems:
            print(f"robustness: FAILED: {problem}")
        return None
    return verdicts[-1].strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", choices=["fault-inject", "fuzz"])
    parser.add_argument("--build", default="build")
    parser.add_argument("--only", default="", help="fault-inject: one scenario")
    parser.add_argument("--nth", type=int, default=0, help="fault-inject: one allocation point")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--calls", type=int, default=1000000)
    args = parser.parse_args()

    if args.run == "fault-inject":
        cmdline = "demo=faultinject faultinject exit"
        if args.only:
            cmdline += f" only={args.only}"
        if args.nth:
            cmdline += f" failnth={args.nth}"
        verdict_re = re.compile(r"^fault injection: \d+ allocation points failed in turn, "
                                r"0 leaks, 0 panics$")
        timeout = 600
        log = os.path.join(args.build, "fault-inject.log")
        what = "fault injection: ..."
    else:
        cmdline = f"demo=fuzz seed={args.seed} calls={args.calls} slice_ms=1 exit"
        verdict_re = re.compile(rf"^fuzz: \d+ calls, seed {args.seed}, 0 kernel faults, "
                                r"nothing leaked$")
        timeout = 120 + args.calls // 5000  # about 30 s per million calls here; a wide margin
        log = os.path.join(args.build, f"fuzz-{args.seed}.log")
        what = "fuzz: ..."
    status, text = boot(args.build, cmdline, timeout, log)
    verdict = judge(status, text, verdict_re, what)
    if verdict is None:
        return 1
    print(verdict)
    return 0


if __name__ == "__main__":
    sys.exit(main())
