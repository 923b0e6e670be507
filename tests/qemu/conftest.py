"""pytest setup for the QEMU scenarios.

KERNEL_BUILDS lists the kernel builds to test, as "dir:level" words, e.g.
"build:full build/llvm-O2:full build/gcc-O0:smoke". Every test taking the
`kernel` fixture runs once per build; tests not marked smoke run only on the
"full" builds. scripts/run-tests.sh sets this up; by default the suite runs
against build/ alone.
"""
import os

import pytest


def builds():
    spec = os.environ.get("KERNEL_BUILDS", "build:full")
    result = []
    for word in spec.split():
        path, _, level = word.partition(":")
        result.append((path, level or "full"))
    return result


def pytest_configure(config):
    config.addinivalue_line("markers", "smoke: also run on the smoke-level builds (-O0, -Os)")


def pytest_generate_tests(metafunc):
    if "kernel" not in metafunc.fixturenames:
        return
    smoke = metafunc.definition.get_closest_marker("smoke") is not None
    params = [path for path, level in builds() if level == "full" or smoke]
    ids = [path.replace("/", "-") for path in params]
    metafunc.parametrize("kernel", params, ids=ids)


@pytest.fixture
def host_build():
    """The directory of the host test binary and the QEMU-dumped DTB."""
    return os.environ.get("HOST_BUILD_DIR", "build")


def pytest_terminal_summary(terminalreporter):
    passed = len(terminalreporter.stats.get("passed", []))
    failed = len(terminalreporter.stats.get("failed", [])) + \
        len(terminalreporter.stats.get("error", []))
    terminalreporter.write_line(f"qemu-scenarios: {passed} passed, {failed} failed")
