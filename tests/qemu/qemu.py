"""Boot a kernel build in QEMU and judge the run.

A run is judged by four things: QEMU's exit status (set by the kernel through
PSCI SYSTEM_OFF or semihosting SYS_EXIT), serial lines that must appear,
lines that must not (a panic or exception report), and a timeout. A hang
fails loudly with everything the kernel printed.
"""
import os
import re
import subprocess
from dataclasses import dataclass

QEMU = os.environ.get("QEMU", "qemu-system-aarch64")

# Lines that mean something went wrong in any run that is not about faults.
FORBIDDEN = [r"KERNEL PANIC", r"KERNEL EXCEPTION", r"^not ok "]


@dataclass
class Run:
    status: int
    output: str
    command: list

    def lines(self):
        return self.output.splitlines()

    def explain(self):
        return f"command: {' '.join(self.command)}\nstatus: {self.status}\noutput:\n{self.output}"


def boot(build, cmdline="", machine="virt,gic-version=2", mem="256M", image="elf",
         semihosting=True, extra=(), timeout=60, cpu="cortex-a53"):
    """Boots build/kernel.elf (or .img) with the given kernel command line."""
    kernel = os.path.join(build, "kernel.img" if image == "img" else "kernel.elf")
    command = [QEMU, "-machine", machine, "-cpu", cpu, "-m", mem, "-nographic",
               "-kernel", kernel, "-append", cmdline]
    if semihosting:
        command += ["-semihosting-config", "enable=on,target=native"]
    command += list(extra)
    try:
        proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        output = (e.stdout or b"").decode(errors="replace")
        raise AssertionError(f"QEMU timed out after {timeout}s\ncommand: {' '.join(command)}\n"
                             f"output:\n{output}") from None
    output = proc.stdout.decode(errors="replace").replace("\r\n", "\n")
    return Run(proc.returncode, output, command)


def expect(run, status=0, lines=(), forbidden=FORBIDDEN):
    """Asserts the exit status, that each regex in lines matches some line (in
    order), and that no regex in forbidden matches any line."""
    assert run.status == status, f"expected exit status {status}\n{run.explain()}"
    position = 0
    all_lines = run.lines()
    for pattern in lines:
        regex = re.compile(pattern)
        for i in range(position, len(all_lines)):
            if regex.search(all_lines[i]):
                position = i + 1
                break
        else:
            raise AssertionError(f"missing line matching {pattern!r} (in order)\n{run.explain()}")
    for pattern in forbidden:
        regex = re.compile(pattern)
        for line in all_lines:
            assert not regex.search(line), f"forbidden line {line!r}\n{run.explain()}"
    return run
