"""The docs' sample runs are real runs: every command that README.md and
docs/*.md show as `$ command` in a code block, followed by what it prints, is
run here, and what it prints must still have the shape the text shows.

`make run DEMO=x CMDLINE="..."` becomes a boot of the build under test with the
same command line (plus `exit` if it would idle, as the other scenarios do),
with make's own lines ("Booting ...", "make: *** ... Error N") put around
QEMU's output; the other commands (`xxd`, `readelf`, `objdump`, `qemu-system-
aarch64`, the host ktest runner, `echo $?`) run as written, on the files of
the build under test. Each line the doc shows must appear in the output, in
order; a line that is `...` stands for lines left out, and a line ending in
`...` for the rest of a line. Both sides are first normalised (DRIFT below),
so that what changes with every build or every run (addresses, sizes, counts,
timings, line numbers) does not matter, and everything else does.

A command that cannot run here must be listed in NOT_RUN with the reason; a
new command that is neither runnable nor listed fails the test.
"""
import functools
import os
import pathlib
import re
import shlex
import subprocess

import pytest

from conftest import builds
from qemu import QEMU, boot

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))

# What drifts from build to build or run to run, and stands for any value:
# first in the line as printed (xxd's columns), then with spaces collapsed.
RAW_DRIFT = [
    (r"^([0-9a-f]{8}: (?:[0-9a-f]{4} ){7}[0-9a-f]{4})  .{16}$", r"\1"),  # xxd's text column
    (r"^00000010: [0-9a-f]{4} [0-9a-f]{4} ", "00000010: size size "),  # the Image's image_size
]
RAW_DRIFT = [(re.compile(pattern), repl) for pattern, repl in RAW_DRIFT]
DRIFT = [
    (r"0x[0-9a-fA-F]+", "0x_"),                     # addresses, ESR values, pcs, offsets
    (r"\b(?=[0-9a-f]*[0-9])[0-9a-f]{5,}\b", "_"),   # bare hex (objdump, xxd) and long counts
    (r"\b\d+\.\d+ ms\b", "_ ms"),                    # timings
    (r"\b\d+ KiB\b", "_ KiB"),                       # the kernel's size
    (r"\b(task|thread|tasks|threads) \d+\b", r"\1 _"),  # task and thread numbers
    (r"\bfree frames \d+ before, \d+ after", "free frames _ before, _ after"),
    (r"\bloop count \d+", "loop count _"),
    (r"\b\d+ context switches", "_ context switches"),
    (r"\breceived \d+", "received _"),
    (r"\b\d+ faults served, \d+ faulting tasks", "_ faults served, _ faulting tasks"),
    (r"\b\d+ IPC operations", "_ IPC operations"),
    (r"^==\d+==", "==_=="),                          # ASan's process id
    (r"^1\.\.\d+$", "1.._"),                         # KTAP plan: the number of cases
    (r"^ok \d+ ", "ok _ "),
    (r"^ktest: \d+ passed", "ktest: _ passed"),
    (r"\b(Makefile|\.c|\.S):\d+", r"\1:_"),         # line numbers
]
DRIFT = [(re.compile(pattern), repl) for pattern, repl in DRIFT]

# Commands shown with output that this test does not run, and why. A regex
# matched against the command.
NOT_RUN = {
    r"^make debug\b": "an interactive gdb session (test_tools.py boots make debug to kmain)",
    r"^\(gdb\) ": "typed into gdb under make debug, an interactive session on a terminal",
}
PROMPTS = ("$ ", "(gdb) ")


def normalise(line):
    for regex, repl in RAW_DRIFT:
        line = regex.sub(repl, line)
    line = " ".join(line.split())
    for regex, repl in DRIFT:
        line = regex.sub(repl, line)
    return line


def elided(line):
    return line.strip() in ("", "...", "…")


def doc_commands():
    """(doc, line number, command, expected output lines) for every `$ ` line
    in a fenced code block that is followed by output."""
    found = []
    for doc in DOCS:
        text = doc.read_text()
        for block in re.finditer(r"^```([\w-]*)\n(.*?)^```", text, flags=re.S | re.M):
            if block.group(1) not in ("", "sh", "console", "text"):
                continue
            first = text.count("\n", 0, block.start(2)) + 1
            lines = block.group(2).splitlines()
            i = 0
            while i < len(lines):
                if not lines[i].startswith(PROMPTS):
                    i += 1
                    continue
                start = i
                command = lines[i][2:] if lines[i].startswith("$ ") else lines[i]
                while command.endswith("\\") and i + 1 < len(lines):
                    i += 1
                    command = command[:-1] + " " + lines[i].strip()
                i += 1
                output = []
                while i < len(lines) and not lines[i].startswith(PROMPTS):
                    output.append(lines[i])
                    i += 1
                if any(not elided(line) for line in output):
                    found.append((doc.relative_to(ROOT), first + start, command, output))
    return found


COMMANDS = doc_commands()


def the_build():
    """The first full build: the one `make` makes, the one the docs show."""
    return next(path for path, level in builds() if level == "full")


def on_build(word):
    """A path under build/ in the doc names that file of the build under test."""
    if word.startswith("build/host/"):
        return os.path.join(os.environ.get("HOST_BUILD_DIR", "build"), word[len("build/"):])
    if word.startswith("build/"):
        return os.path.join(the_build(), word[len("build/"):])
    return word


def split_pipe(command):
    """The command and the grep that filters its output, if any."""
    words = shlex.split(command, comments=True)
    if "|" not in words:
        return words, None
    k = words.index("|")
    grep = words[k + 1:]
    if grep[:2] == ["grep", "-E"] and len(grep) == 3:
        return words[:k], grep[2]
    if grep[:1] == ["grep"] and len(grep) == 2:
        return words[:k], re.escape(grep[1])
    raise AssertionError(f"cannot run the pipe in {command!r}")


def make_run_line():
    """The Makefile line of make run's QEMU recipe, as make's error names it."""
    for n, line in enumerate((ROOT / "Makefile").read_text().splitlines(), 1):
        if line.startswith("\t$(QEMU) $(QEMU_FLAGS) -kernel $(BUILD)/kernel.elf"):
            return n
    raise AssertionError("Makefile has no make run recipe")


def make_run(words):
    """Runs `make run VAR=value ...` as a boot of the build under test, and
    returns what make would print and its exit status."""
    assert words[:2] == ["make", "run"], words
    var = {"DEMO": "user", "CMDLINE": "", "MEM": "256M", "QEMU_MACHINE": "virt,gic-version=2",
           "QEMU_EXTRA": ""}
    for word in words[2:]:
        name, eq, value = word.partition("=")
        assert eq and name in var, f"make run: cannot translate {word!r}"
        var[name] = value
    cmdline = f"demo={var['DEMO']} {var['CMDLINE']}"
    idles = "exit" not in cmdline.split()
    if idles:
        cmdline += " exit"  # power off where make run would idle
    run = boot(the_build(), cmdline, machine=var["QEMU_MACHINE"], mem=var["MEM"],
               extra=shlex.split(var["QEMU_EXTRA"]), timeout=120)
    lines = [f"Booting build/kernel.elf in QEMU (demo={var['DEMO']}). Quit with Ctrl-A X."]
    for line in run.lines():
        if idles:  # what the kernel prints instead of powering off
            line = re.sub(r"^(boot: demo '.*' finished), powering off$",
                          r"\1; idling (quit QEMU with Ctrl-A X)", line)
        lines.append(line)
    if run.status:
        lines.append(f"make: *** [Makefile:{make_run_line()}: run] Error {run.status}")
    return lines, 2 if run.status else 0


@functools.lru_cache(maxsize=None)
def run_command(command, previous_status):
    """The lines a doc command prints, and its exit status."""
    words, grep = split_pipe(command)
    if words == ["echo", "$?"]:
        return [str(previous_status)], 0
    if words[:2] == ["make", "run"]:
        lines, status = make_run(words)
    else:
        assert words[0] in ("xxd", "aarch64-linux-gnu-readelf", "aarch64-linux-gnu-objdump",
                            "qemu-system-aarch64") or words[0].startswith("build/"), \
            f"no way to run {command!r}: run it here or list it in NOT_RUN with the reason"
        argv = [on_build(w) for w in words]
        if argv[0] == "qemu-system-aarch64":
            argv[0] = QEMU
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=120, cwd=ROOT)
        lines = proc.stdout.decode(errors="replace").replace("\r\n", "\n").splitlines()
        status = proc.returncode
    if grep:
        lines = [line for line in lines if re.search(grep, line)]
    return lines, status


def check_output(expected, actual):
    """Each expected line, normalised, matches a later actual line; a line
    ending in ... matches the start of one. Returns the first that does not."""
    actual = [normalise(line) for line in actual]
    position = 0
    for line in expected:
        if elided(line):
            continue
        want = normalise(line)
        prefix = want.endswith("...") or want.endswith("…")
        want = want.rstrip(".…").rstrip() if prefix else want
        for i in range(position, len(actual)):
            if actual[i] == want or (prefix and actual[i].startswith(want)):
                position = i + 1
                break
        else:
            return line
    return None


@pytest.mark.parametrize("doc,line,command,output", COMMANDS,
                         ids=[f"{doc.name}:{line}" for doc, line, _, _ in COMMANDS])
def test_doc_command_prints_what_the_doc_shows(doc, line, command, output):
    for pattern, reason in NOT_RUN.items():
        if re.search(pattern, command):
            pytest.skip(f"{command}: {reason}")
    previous = 0
    # `echo $?` reports the status of the command before it in the same block.
    if command.strip() == "echo $?":
        before = [c for d, n, c, _ in COMMANDS if d == doc and n < line][-1]
        previous = run_command(before, 0)[1]
    lines, status = run_command(command, previous)
    missing = check_output(output, lines)
    assert missing is None, (
        f"{doc}:{line}: `{command}` no longer prints\n    {missing}\n"
        f"(normalised: {normalise(missing)})\nafter the lines before it. It printed (status {status}):\n"
        + "\n".join(lines))


def test_docs_show_commands():
    """The parser still finds the docs' sample runs."""
    assert len(COMMANDS) >= 20, [c for _, _, c, _ in COMMANDS]
