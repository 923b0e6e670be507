"""Rules the tree keeps: the hardware rule (kernel/ and include/kernel/ reach
hardware only through include/hal/: no arch or platform headers, no inline
assembly, no hardware numbers) and formatting by clang-format."""
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def tracked(pattern):
    """The files git tracks that match pattern; outside a git checkout (a
    copy of the tree, as in the container image), every file that matches,
    build outputs aside."""
    if not (ROOT / ".git").exists():
        # git's "*" crosses directories: "kernel/*" is everything below kernel/.
        folder, _, name = pattern.rpartition("/")
        found = (ROOT / folder).rglob(name) if folder else ROOT.rglob(name)
        return sorted(p for p in found if p.is_file() and not any(
            part in ("build", "dist", ".git") for part in p.relative_to(ROOT).parts))
    out = subprocess.run(["git", "ls-files", pattern], cwd=ROOT, stdout=subprocess.PIPE,
                         check=True).stdout.decode()
    return [ROOT / p for p in out.split()]


# What only the hardware may know, as it shows in C.
HARDWARE_PATTERNS = [
    r'#include\s*[<"](arch|platform|drivers)/',
    r"\b(__asm__|asm)\s*(volatile\s*)?\(",
    # A full address in the kernel's half: where that half starts is
    # MMU_KERNEL_BASE's to say (include/hal/mmu.h).
    r"\b0x[fF]{4}[0-9a-fA-F]{12}(?![0-9a-fA-F])",
    # An A64 system instruction's encoding: hints such as nop and wfi,
    # barriers, msr and mrs all lie in 0xd5000000-0xd53fffff.
    r"\b0x[dD]5[0-3][0-9a-fA-F]{5}(?![0-9a-fA-F])",
]


def test_kernel_reaches_hardware_only_through_the_hal():
    bad = []
    for path in tracked("kernel/*") + tracked("include/kernel/*"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if any(re.search(p, line) for p in HARDWARE_PATTERNS):
                bad.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not bad, "kernel/ or include/kernel/ goes around include/hal/:\n" + "\n".join(bad)


@pytest.mark.skipif(shutil.which("clang-format") is None, reason="clang-format not installed")
def test_sources_are_formatted():
    files = [str(p) for p in tracked("*.c") + tracked("*.h")]
    proc = subprocess.run(["clang-format", "--dry-run", "--Werror", "-style=file"] + files,
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.returncode == 0, "run 'make format':\n" + proc.stdout.decode()[:3000]
