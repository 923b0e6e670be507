"""Robustness: the kernel under attack from user programs that race each
other, run out of memory on purpose, and call everything with random
arguments. Each run must end with nothing leaked and no kernel report."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def robustness(kernel, *args, timeout=300):
    """Runs scripts/robustness.py as make fault-inject / make fuzz do; returns
    (status, last line, all output)."""
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "robustness.py"),
                           *args, "--build", kernel], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=timeout, cwd=ROOT)
    out = proc.stdout.decode(errors="replace")
    lines = out.strip().splitlines()
    return proc.returncode, lines[-1] if lines else "", out


@pytest.mark.smoke
def test_fault_injection_fails_every_allocation_point_in_turn(kernel):
    status, last, out = robustness(kernel, "fault-inject")
    assert status == 0, out
    n = int(last.split()[2])
    assert last == f"fault injection: {n} allocation points failed in turn, 0 leaks, 0 panics", out
    assert n >= 150, out  # every scenario passes dozens of points
    with open(os.path.join(kernel, "fault-inject.log"), errors="replace") as log:
        text = log.read()
    # Every kind of allocation point was made to fail at least once.
    for site in ("frame", "thread", "kernel stack", "task", "endpoint", "notification", "handle",
                 "region", "irq binding"):
        assert f"({site}) fails" in text, f"no {site} allocation failed\n{out}"


def test_fault_injection_can_fail_one_chosen_point(kernel):
    status, last, out = robustness(kernel, "fault-inject", "--only", "spawn", "--nth", "7")
    assert status == 0 and last.startswith("fault injection: 1 allocation points"), out
    with open(os.path.join(kernel, "fault-inject.log"), errors="replace") as log:
        text = log.read()
    assert "failpoint: allocation point 7 " in text and text.count("failpoint:") == 1, text


def test_fault_injection_refuses_a_selection_that_runs_nothing(kernel):
    # A misspelt scenario, or a point past the scenario's last, would
    # otherwise pass having made nothing fail.
    status, last, out = robustness(kernel, "fault-inject", "--only", "spwan")
    assert status != 0 and "no scenario named 'spwan'" in out, out
    assert "; the scenarios: spawn map thread ipc_handles teardown" in out, out
    status, last, out = robustness(kernel, "fault-inject", "--only", "spawn", "--nth", "9999")
    assert status != 0 and "point 9999 is past the last" in out, out
    # What the harness refuses before it boots: a point without a scenario, or no number.
    for args in (["--nth", "7"], ["--only", "spawn", "--nth", "0"],
                 ["--only", "spawn", "--nth", "x"]):
        status, last, out = robustness(kernel, "fault-inject", *args)
        assert status == 2 and last.startswith("robustness: FAILED: POINT"), out


@pytest.mark.parametrize("seed", [1, 2])
def test_fuzz_random_system_calls(kernel, seed):
    status, last, out = robustness(kernel, "fuzz", "--seed", str(seed), "--calls", "100000")
    assert status == 0, out
    calls = int(last.split()[1])
    assert calls >= 100000, out
    assert last == (f"fuzz: {calls} calls, seed {seed}, 0 kernel faults, "
                    "0 results that are no error code, nothing leaked"), out
