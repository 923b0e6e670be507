"""Rules the tree keeps: the hardware rule (kernel/ reaches hardware only
through include/hal/: no arch or platform headers, no inline assembly) and
formatting by clang-format."""
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def tracked(pattern):
    out = subprocess.run(["git", "ls-files", pattern], cwd=ROOT, stdout=subprocess.PIPE,
                         check=True).stdout.decode()
    return [ROOT / p for p in out.split()]


def test_kernel_reaches_hardware_only_through_the_hal():
    bad = []
    for path in tracked("kernel/*"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r'#include\s*[<"](arch|platform|drivers)/', line) or \
                    re.search(r"\b(__asm__|asm)\s*(volatile\s*)?\(", line):
                bad.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not bad, "kernel/ goes around include/hal/:\n" + "\n".join(bad)


@pytest.mark.skipif(shutil.which("clang-format") is None, reason="clang-format not installed")
def test_sources_are_formatted():
    files = [str(p) for p in tracked("*.c") + tracked("*.h")]
    proc = subprocess.run(["clang-format", "--dry-run", "--Werror", "-style=file"] + files,
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.returncode == 0, "run 'make format':\n" + proc.stdout.decode()[:3000]
