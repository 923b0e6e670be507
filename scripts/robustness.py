#!/usr/bin/env python3
"""make fault-inject and make fuzz: the long robustness runs.

Both boot the kernel once in QEMU, let a user program attack it, and judge
the run the way the QEMU scenarios do: the exit status, lines that must
appear, lines that must not (a kernel panic or exception report, a leak).
The whole serial output goes to a log file under the build directory; the
last line printed is the verdict, so a script can read it with tail -1.

  robustness.py fault-inject [--only SCENARIO [--nth N]]
      demo=faultinject: every kernel allocation point of each scenario made
      to fail in turn (user/programs/faultinj.c), or only point N (from 1)
      of one scenario. A scenario name that matches none, or a point past
      the scenario's last, fails the run. Last line:
      "fault injection: N allocation points failed in turn, 0 leaks, 0 panics"

  robustness.py fuzz [--seed S] [--calls N]
      demo=fuzz at slice_ms=1: random system calls from several tasks of
      several threads, killed and respawned (user/programs/fuzz.c). Last line:
      "fuzz: N calls, seed S, 0 kernel faults, 0 results that are no error code, nothing leaked"

The counts of panics and kernel faults are the kernel's panic and exception
reports found in the serial log (the kernel stops at the first, so the
program cannot count them itself); the results that are no error code are
the larger of what fuzz's supervisor counted and the lines its workers
printed. Any of them above 0 fails the run.

Exit status 0 when the run passed, 2 for arguments refused before booting,
1 otherwise.
"""
import argparse
import os
import re
import subprocess
import sys

QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
KERNEL_REPORTS = re.compile(r"\*\*\* KERNEL (PANIC|EXCEPTION)")
# A fuzz worker's report of a result that is neither a success nor an error
# code (user/programs/fuzz.c); not anchored, as a worker's blank may precede it.
ODD_RESULT = re.compile(r"fuzz: call -?\d+ returned -?\d+, which is no error code")
# What faultinj says when the selection runs nothing (or cannot run).
FAULTINJ_ERROR = re.compile(r"^faultinj: error: ")


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
    """Returns (the verdict's match or None, the kernel's reports, problems)."""
    lines = text.splitlines()
    problems = [line.strip() for line in lines if FAULTINJ_ERROR.search(line.strip())]
    if status is None:
        problems.append("QEMU timed out")
    elif status != 0:
        problems.append(f"QEMU exited with status {status}")
    reports = [line.strip() for line in lines if KERNEL_REPORTS.search(line)]
    if reports:
        problems.append(f"the kernel reported {len(reports)} panic or exception: {reports[0]}")
    verdicts = [m for m in map(verdict_re.search, lines) if m]
    if not verdicts:
        problems.append(f"no '{what}' verdict line")
    for line in lines:
        if "leaked kernel objects" in line or "LEAKED" in line:
            problems.append(line.strip())
            break
    return (verdicts[-1] if verdicts else None), reports, problems


def fail(text, problems):
    tail = "\n".join(text.splitlines()[-25:])
    print(f"robustness: the last lines of the run:\n{tail}")
    for problem in problems:
        print(f"robustness: FAILED: {problem}")
    return 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", choices=["fault-inject", "fuzz"])
    parser.add_argument("--build", default="build")
    parser.add_argument("--only", default="", help="fault-inject: one scenario")
    parser.add_argument("--nth", default="", help="fault-inject: one allocation point (from 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--calls", type=int, default=1000000)
    args = parser.parse_args()

    if args.run == "fault-inject":
        # The kernel command line splits at blanks; faultinj judges the rest.
        if args.only and not re.fullmatch(r"[A-Za-z0-9_-]+", args.only):
            print(f"robustness: FAILED: no scenario named '{args.only}' (ONLY=SCENARIO)")
            return 2
        if args.nth and not args.only:
            print("robustness: FAILED: POINT (--nth) needs ONLY (--only): allocation points "
                  "are counted within one scenario")
            return 2
        if args.nth and not re.fullmatch(r"[1-9][0-9]{0,17}", args.nth):
            print(f"robustness: FAILED: POINT={args.nth} is no allocation point number "
                  "(they count from 1)")
            return 2
        cmdline = "demo=faultinject faultinject exit"
        if args.only:
            cmdline += f" only={args.only}"
        if args.nth:
            cmdline += f" failnth={args.nth}"
        verdict_re = re.compile(r"^fault injection: (\d+) allocation points failed in turn, "
                                r"(\d+) leaks$")
        timeout = 600
        log = os.path.join(args.build, "fault-inject.log")
        what = "fault injection: ..."
    else:
        cmdline = f"demo=fuzz seed={args.seed} calls={args.calls} slice_ms=1 exit"
        verdict_re = re.compile(rf"^fuzz: (\d+) calls, seed {args.seed}, (\d+) results that are "
                                r"no error code, nothing leaked$")
        timeout = 120 + args.calls // 5000  # about 30 s per million calls here; a wide margin
        log = os.path.join(args.build, f"fuzz-{args.seed}.log")
        what = "fuzz: ..."
    status, text = boot(args.build, cmdline, timeout, log)
    verdict, reports, problems = judge(status, text, verdict_re, what)
    if args.run == "fault-inject":
        if verdict and int(verdict.group(2)) != 0:
            problems.append(f"{verdict.group(2)} allocation points leaked")
        if problems:
            return fail(text, problems)
        print(f"fault injection: {verdict.group(1)} allocation points failed in turn, "
              f"{verdict.group(2)} leaks, {len(reports)} panics")
        return 0
    odd_lines = [line.strip() for line in text.splitlines() if ODD_RESULT.search(line)]
    odd = max(len(odd_lines), int(verdict.group(2)) if verdict else 0)
    if odd:
        first = f": {odd_lines[0]}" if odd_lines else ""
        problems.append(f"{odd} system call results that are no error code{first}")
    if problems:
        return fail(text, problems)
    print(f"fuzz: {verdict.group(1)} calls, seed {args.seed}, {len(reports)} kernel faults, "
          f"{odd} results that are no error code, nothing leaked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
