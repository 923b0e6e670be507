"""The in-kernel ktest suite: the same cases as the host unit tests, run
inside QEMU on the real machine."""
import os
import re

import pytest

from qemu import boot, expect


def frame_check_built_in(kernel):
    """Whether the kernel in this build directory checks freed frames for
    writes (CONFIG_FRAME_CHECK): on in the -O0 builds (the Makefile's
    FRAME_CHECK). Read from the flags the build recorded, else its name."""
    try:
        with open(os.path.join(kernel, ".flags")) as f:
            flags = f.read().split()
    except OSError:
        return "O0" in os.path.basename(os.path.normpath(kernel))
    return "-DCONFIG_FRAME_CHECK=1" in flags or "-O0" in flags


@pytest.mark.smoke
def test_in_kernel_ktest_suite(kernel):
    run = boot(kernel, "ktest", timeout=120)
    expect(run, 0, [r"^KTAP version 1$", r"^1\.\.\d+$",
                    r"^ktest: \d+ passed, 0 failed(, \d+ skipped)?$"])
    summary = [l for l in run.lines() if l.startswith("ktest: ")][-1]
    m = re.match(r"ktest: (\d+) passed, 0 failed(?:, (\d+) skipped)?", summary)
    passed, skipped = int(m.group(1)), int(m.group(2) or 0)
    planned = int([l for l in run.lines() if re.match(r"^1\.\.\d+$", l)][0][3:])
    # The one case a build may skip: the use-after-free check is built into
    # the -O0 kernels only. Every other case passes.
    skips = [l.split()[2] for l in run.lines() if re.match(r"^ok \d+ \S+ # SKIP", l)]
    assert set(skips) <= {"frame.writes_after_free_are_caught"}, run.explain()
    assert passed + skipped == planned and passed > 0 and skipped == len(skips), run.explain()
    # Where the check is built in (the -O0 kernels), that case must run and pass.
    if frame_check_built_in(kernel):
        ran = [l for l in run.lines()
               if re.match(r"^ok \d+ frame\.writes_after_free_are_caught$", l)]
        assert ran and not skips, \
            f"frame.writes_after_free_are_caught did not run in {kernel}, " \
            f"a CONFIG_FRAME_CHECK (-O0) build\n{run.explain()}"


def test_ktest_filter(kernel):
    run = boot(kernel, "ktest=printf.", timeout=60)
    expect(run, 0, [r"^ok \d+ printf\.", r"^ktest: \d+ passed, 0 failed$"])
    assert not any(l.startswith("ok ") and " printf." not in l for l in run.lines()), run.explain()


def test_host_ktest_binary(host_build):
    """The host build of the same cases, under ASan and UBSan."""
    import os
    import subprocess
    binary = os.path.join(host_build, "host", "ktest-host")
    dtb = os.path.join(host_build, "virt.dtb")
    proc = subprocess.run([binary, "--dtb", dtb], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=120)
    out = proc.stdout.decode(errors="replace")
    assert proc.returncode == 0, out
    assert re.search(r"^ktest: \d+ passed, 0 failed(, \d+ skipped)?$", out, re.M), out
