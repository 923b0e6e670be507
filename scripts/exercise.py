#!/usr/bin/env python3
"""The chapters' exercises and their checkers.

    make exercises                  python3 scripts/exercise.py list
    make exercise N=2.3             python3 scripts/exercise.py check 2.3
    python3 scripts/exercise.py solution 2.3
    make check-solutions            python3 scripts/exercise.py verify-solutions [N...]

Two kinds of exercise:

- code: you change the kernel or a user program; the checker builds what it
  needs and runs a test that passes only when the work is done. The
  solution is docs/solutions/N.patch (git apply docs/solutions/N.patch),
  and docs/solutions/N.md when there is more to say.
- answers: you predict, decode or explain; you write your answers into
  exercises/answers/N.txt, one "key: value" per line, with the keys the
  exercise names, and the checker compares them. Keys marked "open" in the
  exercise are discussion: any non-empty answer passes, and the checker
  points you at the model answer. The solution is docs/solutions/N.md: its
  first fenced block is the answers file, the rest explains.

verify-solutions is what CI runs: every solution must pass its checker, and
every code exercise's checker must fail on the tree as it is (proof that
the check can fail). It works in a temporary git worktree of HEAD.
"""
import argparse
import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOLUTIONS = "docs/solutions"
ANSWERS = "exercises/answers"
QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
JOBS = str(os.cpu_count() or 2)


class CheckFailed(Exception):
    pass


# ---- answers ----------------------------------------------------------------

def norm(text):
    """Lower case, single spaces, no quotes, backticks or final full stop."""
    text = text.strip().strip("`'\"").strip()
    text = re.sub(r"\s+", " ", text.lower())
    return text.rstrip(".").strip()


def parse_number(text):
    m = re.match(r"^[~≈+]?\s*(-?(?:0x[0-9a-f]+|\d+))\b", norm(text).replace("_", ""))
    return int(m.group(1), 0) if m else None


class Exact:
    """One of the given answers, after norm()."""

    def __init__(self, *accepted):
        self.accepted = [norm(a) for a in accepted]

    def ok(self, value):
        return norm(value) in self.accepted

    def describe(self):
        return "one exact answer"


class Number:
    """A number (decimal or 0x hex) in [lo, hi]."""

    def __init__(self, lo, hi=None):
        self.lo, self.hi = lo, lo if hi is None else hi

    def ok(self, value):
        n = parse_number(value)
        return n is not None and self.lo <= n <= self.hi

    def describe(self):
        return "a number"


class YesNo(Exact):
    def __init__(self, answer):
        super().__init__(answer)

    def ok(self, value):
        v = norm(value)
        v = {"y": "yes", "true": "yes", "n": "no", "false": "no"}.get(v, v)
        return v == self.accepted[0]

    def describe(self):
        return "yes or no"


class Contains:
    """Mentions every one of the given words (after norm())."""

    def __init__(self, *words):
        self.words = [norm(w) for w in words]

    def ok(self, value):
        v = norm(value).replace("-", " ")
        return all(w.replace("-", " ") in v for w in self.words)

    def describe(self):
        return "a name or phrase"


class Open:
    """Discussion: any non-empty answer; compare with the model answer."""

    def ok(self, value):
        return bool(value.strip())

    def describe(self):
        return "open"


def read_answers(text):
    answers = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if sep:
            answers[key.strip().lower()] = value.strip()
    return answers


def check_answers(number, spec, text):
    answers = read_answers(text)
    wrong, missing, opened = [], [], False
    for key, matcher in spec.items():
        if key not in answers or not answers[key].strip():
            missing.append(key)
        elif not matcher.ok(answers[key]):
            wrong.append(key)
        elif isinstance(matcher, Open):
            opened = True
    for key in missing:
        print(f"  {key}: missing (expected {spec[key].describe()})")
    for key in wrong:
        print(f"  {key}: not right yet ({answers[key]!r})")
    right = len(spec) - len(missing) - len(wrong)
    print(f"exercise {number}: {right} of {len(spec)} answers right")
    if opened and not missing and not wrong:
        print(f"  open answers: compare yours with {SOLUTIONS}/{number}.md")
    if missing or wrong:
        raise CheckFailed(f"{len(missing) + len(wrong)} answer(s) missing or not right")


def solution_answers(number):
    """The first fenced block of docs/solutions/N.md."""
    with open(os.path.join(ROOT, SOLUTIONS, f"{number}.md")) as f:
        m = re.search(r"^```[^\n]*\n(.*?)^```", f.read(), re.M | re.S)
    if not m:
        raise CheckFailed(f"{SOLUTIONS}/{number}.md has no fenced answers block")
    return m.group(1)


# ---- code checkers ----------------------------------------------------------

def run(cmd, cwd, env=None, timeout=900):
    """Runs cmd; returns (status, output)."""
    proc = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, env=env, timeout=timeout)
    return proc.returncode, proc.stdout.decode(errors="replace")


def make(tree, *targets, build="build"):
    status, out = run(["make", "-s", f"-j{JOBS}", f"BUILD={build}"] + list(targets), tree)
    if status != 0:
        print(out[-4000:])
        raise CheckFailed(f"make {' '.join(targets)} failed")
    return out


def boot(tree, cmdline, timeout=120, build="build"):
    cmd = [QEMU, "-machine", "virt,gic-version=2", "-cpu", "cortex-a53", "-m", "256M",
           "-nographic", "-kernel", os.path.join(build, "kernel.elf"), "-append", cmdline,
           "-semihosting-config", "enable=on,target=native"]
    try:
        status, out = run(cmd, tree, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise CheckFailed(f"QEMU timed out after {timeout} s: {cmdline}") from None
    return status, out.replace("\r\n", "\n")


def expect_lines(output, patterns, what):
    """Each regex must match a line, in order."""
    lines = output.splitlines()
    pos = 0
    for pattern in patterns:
        regex = re.compile(pattern)
        for i in range(pos, len(lines)):
            if regex.search(lines[i]):
                pos = i + 1
                break
        else:
            tail = "\n".join("    " + line for line in lines[-25:])
            raise CheckFailed(f"{what}: no line matching {pattern!r} (in order); "
                              f"the output ended with:\n{tail}")


def check_crash_read(tree):
    make(tree, "kernel")
    status, out = boot(tree, "crash=read exit")
    expect_lines(out, [r"^test: crash=read requested$",
                       r"KERNEL EXCEPTION: Data Abort from current EL",
                       r"^  what:    translation fault, level 0, on a read$",
                       r"^  address: 0xffff900000000000$"], "crash=read")
    print("  crash=read: a translation fault at level 0, on a read of 0xffff900000000000")


def host_ktest(tree, build):
    make(tree, f"{build}/host/ktest-host", f"{build}/virt.dtb", build=build)
    return run([f"{build}/host/ktest-host", "--dtb", f"{build}/virt.dtb"], tree)


def copy_tree(tree, dest):
    """The tree's source files (tracked, and new ones not ignored) into dest."""
    status, out = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                      tree)
    if status != 0:
        raise CheckFailed("git ls-files failed: " + out)
    for rel in out.split("\0"):
        if rel and os.path.isfile(os.path.join(tree, rel)):
            os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
            shutil.copy2(os.path.join(tree, rel), os.path.join(dest, rel))


HAND_OFF_TRUE = ("    return !runqueue_has_above(&sched_run_queue, target->rq.priority);",
                 "    (void)target;\n    return true; /* exercise 2.3: the check removed */")


def check_hand_off_ktest(tree):
    status, out = host_ktest(tree, "build")
    summary = re.search(r"^ktest: (\d+) passed, (\d+) failed", out, re.M)
    if status != 0 or not summary or summary.group(2) != "0":
        print("\n".join(line for line in out.splitlines() if "not ok" in line or "# " in line))
        raise CheckFailed("make host-test must pass with the code as it is")
    print(f"  host ktests as the code is: {summary.group(1)} passed, 0 failed")
    with tempfile.TemporaryDirectory(prefix="exercise-2.3-") as scratch:
        copy_tree(tree, scratch)
        header = os.path.join(scratch, "include/kernel/thread.h")
        with open(header) as f:
            text = f.read()
        if HAND_OFF_TRUE[0] not in text:
            raise CheckFailed("sched_can_hand_off_to in include/kernel/thread.h is not as the "
                              "exercise expects; put it back and write a test instead")
        with open(header, "w") as f:
            f.write(text.replace(HAND_OFF_TRUE[0], HAND_OFF_TRUE[1]))
        status, out = host_ktest(scratch, "build")
    failed = [line.split(None, 3)[-1] for line in out.splitlines() if line.startswith("not ok")]
    if not failed:
        raise CheckFailed("with sched_can_hand_off_to always true, every ktest still passes: "
                          "no test notices a hand-off that overtakes a more important thread")
    print(f"  with sched_can_hand_off_to always true, failing: {', '.join(failed)}")


def check_wfi_eret(tree):
    make(tree, "kernel")
    status, out = boot(tree, "demo=faults exit")
    expect_lines(out, [r"^fault: committing 'wfi'$",
                       r"\(fault\) killed: Trapped WFI/WFE",
                       r"^init: 'fault wfi' ended with E_DEAD \(killed\)$",
                       r"^fault: committing 'eret'$",
                       r"\(fault\) killed: .*undefined instruction",
                       r"^init: 'fault eret' ended with E_DEAD \(killed\)$",
                       r"^init: 0 of \d+ faulting tasks survived"], "demo=faults")
    if status != 0:
        raise CheckFailed(f"demo=faults exit ended with status {status}")
    print("  wfi: trapped WFI/WFE; eret: undefined instruction; both killed, alone")


def check_owner_dies(tree):
    make(tree, "kernel")
    case = "an_endpoint_dies_with_its_owner"
    status, out = boot(tree, f"demo=usertest only={case} exit")
    expect_lines(out, [rf"^ok 1 {case}$", r"^usertest: 1 passed, 0 failed$",
                       r"^init: usertest exited with 0$"], f"usertest {case}")
    m = re.search(r"free frames (\d+) before, (\d+) after", out)
    if status != 0 or not m or m.group(1) != m.group(2):
        raise CheckFailed("the run did not end cleanly with the frames balanced")
    print(f"  usertest {case}: passed, frames balanced")


# ---- the exercises ------------------------------------------------------------

P1, P2, P3, P4, P5 = (f"docs/{n}.md" for n in (
    "part1-boot", "part2-ipc", "part3-interrupts", "part4-memory", "part5-user-mode"))

EXERCISES = {
    "1.1": dict(doc=P1, title="Break the DTB rule", answers={
        "status": Number(3),
        "img_loaded_at": Number(0x40200000),
        "img_linked_at": Number(0x40080000),
        "wrong_instruction": Contains("br"),
    }),
    "1.2": dict(doc=P1, title="Watch the drop", answers={
        "el_before": Number(2),
        "el_after": Number(1),
        "cpsr_after": Number(0x3c5),
        "ret_goes_to": Contains("primary_entry"),
    }),
    "1.3": dict(doc=P1, title="Decode by hand", answers={
        "esr_96000007": Exact("translation fault, level 3, on a read"),
        "esr_9600004f": Exact("permission fault, level 3, on a write"),
        "esr_86000005": Exact("translation fault, level 1, on an instruction fetch"),
    }),
    "1.4": dict(doc=P1, title="A new crash", check=check_crash_read),
    "1.5": dict(doc=P1, title="Why zero BSS?", answers={
        "elf_boots": YesNo("yes"),
        "img_boots": YesNo("yes"),
        "zeroed_by": Contains("qemu"),
    }),
    "2.1": dict(doc=P2, title="Depth 0 for ping/pong", answers={
        "line1": Exact("task/pong: got ping seq=1"),
        "line2": Exact("task/ping: sent ping seq=1"),
        "line3": Exact("task/ping: got pong seq=1"),
    }),
    "2.2": dict(doc=P2, title="Break FIFO on purpose, and catch it", answers={
        "ktest": Exact("ipc.a_newcomer_cannot_overtake_a_blocked_sender",
                       "a_newcomer_cannot_overtake_a_blocked_sender"),
        "blocked_times": Number(1),
        "scenario": Exact("test_backpressure_reports_full_then_completes",
                          "tests/qemu/test_ipc.py::test_backpressure_reports_full_then_completes"),
    }),
    "2.3": dict(doc=P2, title="A hand-off that respects priorities", check=check_hand_off_ktest),
    "2.4": dict(doc=P2, title="Count the cost", answers={
        "instructions": Number(60, 600),
        "dominates": Exact("endpoint", "endpoint logic", "scheduler", "scheduler bookkeeping"),
        "fast_path_removes": Open(),
    }),
    "3.1": dict(doc=P3, title="A blind tick", answers={
        "blind_interrupts": Number(40, 60),
        "preempt_worse": YesNo("no"),
        "yield_switch_extra": Number(5, 100),
        "timer_interrupts_armed_every_switch": Number(5),
    }),
    "3.2": dict(doc=P3, title="Firmware duties", answers={
        "user_demo_finishes": YesNo("yes"),
        "timer_last_line": Exact("timer: counter at 62500000 Hz, a tick every 100 ms"),
        "groups_register": Contains("gicd_igroupr"),
        "pmr_register": Contains("gicc_pmr"),
    }),
    "3.3": dict(doc=P3, title="An interrupt storm", answers={
        "irq": Number(30),
        "still_running_line": YesNo("no"),
    }),
    "3.4": dict(doc=P3, title="Count the switches", answers={
        "from_main": Number(40, 56),
        "from_slice_ends": Number(10, 14),
        "slice_ms_20": Number(50, 75),
    }),
    "4.1": dict(doc=P4, title="Walk by hand", answers={
        "af": Number(1),
        "attrindx": Number(1),
        "output_address": Number(0x4fe00000),
        "page_output_address": Number(0x40389000),
        "page_ng": Number(1),
        "page_el0_access": Exact("rw", "read-write", "read and write", "read/write"),
        "page_el0_executable": YesNo("yes"),
    }),
    "4.2": dict(doc=P4, title="Map across a 1 GiB boundary", answers={
        "leaves2": Number(2),
        "leaves3": Number(0),
        "tables": Number(4),
    }),
    "4.3": dict(doc=P4, title="Protect without the break", answers={
        "rule": Contains("break-before-make"),
        "saves": Open(),
    }),
    "4.4": dict(doc=P4, title="A big frame against the guard", answers={
        "caught": YesNo("yes"),
        "bytes_below_stack_base": Number(0x1000, 0x1100),
        "one_page_guard_catches": YesNo("no"),
    }),
    "4.5": dict(doc=P4, title="The stash", answers={
        "moved": Exact("both"),
        "map_page_extra": Number(50, 250),
        "alloc_free_extra": Number(50, 300),
        "levels": Number(10),
    }),
    "4.6": dict(doc=P4, title="Why filling must be 0", answers={
        "scenario": Open(),
    }),
    "5.1": dict(doc=P5, title="More things EL0 may not do", check=check_wfi_eret),
    "5.2": dict(doc=P5, title="The owner dies", check=check_owner_dies),
    "5.3": dict(doc=P5, title="Forget the linear map", answers={
        "what": Exact("translation fault, level 0, on a write"),
        "where": Contains("memcpy"),
        "cortex_a76_same": YesNo("yes"),
    }),
    "5.4": dict(doc=P5, title="Why each check?", answers={
        "fast_ops_ten_words": Number(11),
        "fast_ops_depth_1": Number(0),
        "why_no_queued_sender": Open(),
        "why_recv_buf_null": Open(),
    }),
    "5.5": dict(doc=P5, title="Why not park the faulting thread?", answers={
        "who_applies_pc": Open(),
        "resumes_where": Open(),
        "why_save_x0": Open(),
    }),
}


def key(number):
    return tuple(int(p) for p in number.split("."))


def kind(number):
    return "code" if "check" in EXERCISES[number] else "answers"


def solution_path(number):
    return f"{SOLUTIONS}/{number}.patch" if kind(number) == "code" else f"{SOLUTIONS}/{number}.md"


def get(number):
    if number not in EXERCISES:
        raise SystemExit(f"no exercise {number!r}; 'make exercises' lists them")
    return EXERCISES[number]


def check(number, tree=ROOT, answers_file=None):
    """Raises CheckFailed unless exercise number is done in tree."""
    ex = get(number)
    if "check" in ex:
        ex["check"](tree)
        return
    path = answers_file or os.path.join(tree, ANSWERS, f"{number}.txt")
    if not os.path.exists(path):
        keys = "\n".join(f"  {k}: ..." for k in ex["answers"])
        raise CheckFailed(f"write your answers into {os.path.relpath(path, tree)}:\n{keys}")
    with open(path) as f:
        check_answers(number, ex["answers"], f.read())


# ---- commands ---------------------------------------------------------------

def cmd_list(_args):
    for number in sorted(EXERCISES, key=key):
        ex = EXERCISES[number]
        print(f"{number:4}  {kind(number):7}  {ex['title']:40}  {ex['doc']}")
    print("check one with: make exercise N=<number>")


def cmd_check(args):
    ex = get(args.number)
    print(f"exercise {args.number}: {ex['title']} ({kind(args.number)}; {ex['doc']})")
    try:
        check(args.number, answers_file=args.answers)
    except CheckFailed as e:
        print(f"NOT YET: {e}")
        return 1
    print(f"PASS: exercise {args.number}")
    return 0


def cmd_solution(args):
    get(args.number)
    path = solution_path(args.number)
    if kind(args.number) == "code":
        print(f"The solution is a patch: {path}.")
        print(f"  read it:   less {path}")
        print(f"  apply it:  git apply {path}   (on a scratch copy: git worktree add ...)")
        print(f"  then:      make exercise N={args.number}")
        if os.path.exists(os.path.join(ROOT, SOLUTIONS, f"{args.number}.md")):
            print(f"  discussion: {SOLUTIONS}/{args.number}.md")
    else:
        print(f"The model answers and why: {path}")
        print(f"  its first block is an answers file: copy it to {ANSWERS}/{args.number}.txt")
    return 0


def verify_code(number, tree):
    """The checker must fail on the clean tree and pass with the patch."""
    try:
        check(number, tree)
    except CheckFailed:
        pass
    else:
        raise CheckFailed("the checker passes on the unmodified tree")
    patch = os.path.join(ROOT, solution_path(number))
    status, out = run(["git", "apply", patch], tree)
    if status != 0:
        raise CheckFailed(f"git apply {solution_path(number)} failed:\n{out}")
    check(number, tree)


def verify_answers(number):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(solution_answers(number))
    try:
        check(number, answers_file=f.name)
    finally:
        os.unlink(f.name)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        pass
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            check(number, answers_file=f.name)
    except CheckFailed:
        pass
    else:
        raise CheckFailed("an empty answers file passes")
    finally:
        os.unlink(f.name)


def cmd_verify(args):
    numbers = args.numbers or sorted(EXERCISES, key=key)
    for n in numbers:
        get(n)
    failures = []
    start = time.time()
    tree = None
    try:
        for number in numbers:
            t0 = time.time()
            print(f"== exercise {number} ({kind(number)})", flush=True)
            try:
                if kind(number) == "code":
                    if tree is None:
                        tree = tempfile.mkdtemp(prefix="exercise-verify-")
                        os.rmdir(tree)
                        status, out = run(["git", "worktree", "add", "--detach", tree, "HEAD"],
                                          ROOT)
                        if status != 0:
                            raise CheckFailed("git worktree add failed:\n" + out)
                    else:
                        # Back to HEAD; the build directory (ignored) stays for the next build.
                        run(["git", "checkout", "-q", "--", "."], tree)
                        run(["git", "clean", "-fdq"], tree)
                    verify_code(number, tree)
                else:
                    verify_answers(number)
                print(f"ok   {number} ({time.time() - t0:.0f} s)", flush=True)
            except (CheckFailed, subprocess.TimeoutExpired) as e:
                print(f"FAIL {number}: {e}", flush=True)
                failures.append(number)
    finally:
        if tree is not None:
            run(["git", "worktree", "remove", "--force", tree], ROOT)
    print(f"check-solutions: {len(numbers) - len(failures)} passed, {len(failures)} failed "
          f"in {time.time() - start:.0f} s" + (f" ({', '.join(failures)})" if failures else ""))
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the exercises").set_defaults(fn=cmd_list)
    p = sub.add_parser("check", help="check your work on exercise N")
    p.add_argument("number")
    p.add_argument("--answers", help="an answers file other than exercises/answers/N.txt")
    p.set_defaults(fn=cmd_check)
    p = sub.add_parser("solution", help="where exercise N's solution is, and how to apply it")
    p.add_argument("number")
    p.set_defaults(fn=cmd_solution)
    p = sub.add_parser("verify-solutions", help="every solution passes its checker (CI)")
    p.add_argument("numbers", nargs="*")
    p.set_defaults(fn=cmd_verify)
    args = parser.parse_args()
    sys.exit(args.fn(args) or 0)


if __name__ == "__main__":
    main()
