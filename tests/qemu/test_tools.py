"""The developer commands work as the docs say: make debug attaches a debugger
with symbols (gdb-multiarch, a gdb for AArch64, or lldb), make run and make
test need no debugger, the original project's build/run scripts still work
with its demo names, make clean cleans the build it is given, the user
programs' unstripped ELFs stay in the build, and the container builds and
boots where a container engine can build it."""
import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

from qemu import boot

ROOT = pathlib.Path(__file__).resolve().parents[2]


def run(command, env=None, timeout=120, cwd=ROOT):
    """Runs command; returns (exit status, stdout and stderr together)."""
    proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, env=env, timeout=timeout, cwd=cwd)
    return proc.returncode, proc.stdout.decode(errors="replace")


# ---- make debug ---------------------------------------------------------------

def gdb_knows_aarch64(gdb):
    return shutil.which(gdb) is not None and subprocess.run(
        [gdb, "-nx", "--batch", "-ex", "set architecture aarch64"], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, timeout=60).returncode == 0


# What each debugger is told once attached, and what it must then have shown:
# kmain reached with the command line in hand, called from arch_boot_main.
GDB_SESSION = ("break kmain\ncontinue\nprint bi->cmdline\nbt\nbreak demo_find\ncontinue\n",
               ["Breakpoint 1, kmain", '"demo=boot from-gdb"', "arch_boot_main"])
LLDB_SESSION = ("breakpoint set --name kmain\nprocess continue\nframe variable bi->cmdline\nbt\n"
                "breakpoint set --name demo_find\nprocess continue\n",
                ["stop reason = breakpoint 1.1", "kernel.elf`kmain", '"demo=boot from-gdb',
                 "arch_boot_main"])


@pytest.mark.parametrize("debugger", ["gdb-multiarch", "gdb", "lldb"])
def test_make_debug_stops_at_kmain(kernel, tmp_path, debugger):
    if debugger == "lldb":
        if shutil.which("lldb") is None:
            pytest.skip("no lldb here (make debug's debugger on macOS)")
        session, expected = LLDB_SESSION
    else:
        if not gdb_knows_aarch64(debugger):
            pytest.skip(f"no {debugger} that knows AArch64 here")
        session, expected = GDB_SESSION
    commands = tmp_path / "commands"
    commands.write_text(session)
    # A port of our own, so parallel runs do not collide.
    env = dict(os.environ, GDB=debugger, GDB_BATCH="1", GDB_COMMANDS=str(commands),
               GDB_PORT=str(20000 + os.getpid() % 10000), SERIAL_LOG=str(tmp_path / "serial"))
    status, out = run(["scripts/debug.sh", os.path.join(kernel, "kernel.elf"),
                       "-machine virt,gic-version=2 -cpu cortex-a53 -m 256M -nographic",
                       "demo=boot from-gdb"], env=env)
    assert f"Debugging with {debugger}." in out, out
    for text in expected:
        assert text in out, out
    # Continuing to demo_find ran kmain past the banner, into the serial log.
    assert "boot OK" in (tmp_path / "serial").read_text(), out


def fake_tool(directory, name, script):
    path = directory / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)


GOOD_GDB = "exit 0"
HOST_ONLY_GDB = "echo 'Undefined item: \"aarch64\".' >&2; exit 1"  # Debian's plain gdb


@pytest.mark.parametrize("tools, chosen", [
    ({"gdb-multiarch": GOOD_GDB, "gdb": GOOD_GDB, "lldb": GOOD_GDB}, "gdb-multiarch"),
    ({"gdb": GOOD_GDB, "lldb": GOOD_GDB}, "gdb"),
    ({"gdb": HOST_ONLY_GDB, "lldb": GOOD_GDB}, "lldb"),
    ({"lldb": GOOD_GDB}, "lldb"),
    ({"gdb": HOST_ONLY_GDB}, None),
    ({}, None),
], ids=["multiarch-first", "gdb-for-aarch64", "host-gdb-then-lldb", "lldb-only",
        "host-gdb-only", "none"])
def test_debug_picks_a_debugger_or_says_what_to_install(tmp_path, tools, chosen):
    for name, script in tools.items():
        fake_tool(tmp_path, name, script)
    env = {k: v for k, v in os.environ.items() if k != "GDB"}
    env["PATH"] = str(tmp_path)
    status, out = run(["/bin/sh", "scripts/debug.sh", "--which"], env=env, timeout=30)
    if chosen:
        assert status == 0 and out.strip() == chosen, out
    else:
        assert status != 0, out
        assert "no debugger for AArch64" in out, out
        assert "apt-get install gdb-multiarch" in out and "xcode-select --install" in out, out
        assert ("does not know AArch64" in out) == ("gdb" in tools), out
    # GDB= names the debugger, whatever else is there.
    env["GDB"] = "/opt/my/gdb"
    assert run(["/bin/sh", "scripts/debug.sh", "--which"], env=env, timeout=30) == \
        (0, "/opt/my/gdb\n")


def missing_tools(out):
    line = re.search(r"^setup: missing:(.*)$", out, re.M)
    return line.group(1).split() if line else []


def test_run_and_test_need_no_debugger(tmp_path):
    # Every command on PATH but the debuggers, as on a Mac without gdb-multiarch.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            target = os.path.join(directory, name)
            if name in ("gdb", "gdb-multiarch", "lldb") or (bin_dir / name).exists() or \
                    not os.access(target, os.X_OK) or os.path.isdir(target):
                continue
            (bin_dir / name).symlink_to(target)
    env = dict(os.environ, PATH=str(bin_dir))
    env.pop("GDB", None)
    status, out = run(["scripts/setup.sh", "--check"], env=env)
    assert not any("gdb" in tool or "debugger" in tool for tool in missing_tools(out)), out
    status, out = run(["scripts/setup.sh", "--check", "--for", "debug"], env=env)
    assert status == 1, out
    assert any("debugger" in tool for tool in missing_tools(out)), out
    assert "apt-get install gdb-multiarch" in out, out
    # make asks for a debugger for make debug alone.
    for goal, flag in (("run", False), ("test", False), ("debug", True)):
        status, out = run(["make", "-n", f"BUILD={tmp_path}/b", goal])
        setup = [line for line in out.splitlines() if "scripts/setup.sh" in line]
        assert setup and all(("--for debug" in line) == flag for line in setup), (goal, out)


# ---- the original project's scripts -------------------------------------------

def build_and_run(tmp_path, demo, cmdline):
    # Built and written in directories of the test's own (VIRT_BUILD and
    # VIRT_DIST), so that runs in parallel do not build over each other.
    env = dict(os.environ, VIRT_BUILD=str(tmp_path / "build"), VIRT_DIST=str(tmp_path / "dist"))
    status, out = run(["scripts/build-aarch64-virt.sh", demo], env=env, timeout=900)
    assert status == 0, out
    assert (tmp_path / "dist/os-aarch64-virt.elf").exists(), out
    assert (tmp_path / "dist/os-aarch64-virt.img").exists(), out
    status, out = run(["scripts/run-aarch64-virt.sh"] + cmdline.split(), env=env, timeout=120)
    assert status == 0, out
    return out


def test_original_build_and_run_scripts(tmp_path):
    out = build_and_run(tmp_path, "boot", "exit")
    assert "boot: running demo 'boot'" in out, out
    assert "boot: demo 'boot' finished, powering off" in out, out


@pytest.mark.parametrize("original, demo, cmdline, line", [
    ("demo-ipc", "ipc", "rounds=3 exit", "ipc: 3 round trips, in order"),
    ("demo-preempt", "preempt", "threads=2 rounds=3 exit", "preempt: every thread got at least"),
    ("demo-memory", "memory", "exit", "mm: demo done (MMU is ON)"),
])
def test_original_demo_names_build_their_demo(tmp_path, original, demo, cmdline, line):
    out = build_and_run(tmp_path, original, cmdline)
    assert f"boot: running demo '{demo}'" in out, out
    assert line in out, out
    assert f"boot: demo '{demo}' finished, powering off" in out, out


def test_unknown_demo_fails_before_building(tmp_path):
    marker = tmp_path / "make-ran"
    fake_tool(tmp_path, "make", f"touch {marker}")
    env = dict(os.environ, MAKE=str(tmp_path / "make"))
    status, out = run(["scripts/build-aarch64-virt.sh", "demo-no-such"], env=env, timeout=30)
    assert status == 2, out
    assert "no demo 'demo-no-such'. Valid names:" in out, out
    for name in ("boot", "ipc", "ipc-sync", "preempt", "memory", "user", "demo-ipc",
                 "demo-preempt", "demo-memory"):
        assert re.search(rf"^  {re.escape(name)}\b", out, re.M), (name, out)
    assert not marker.exists(), "make ran for an unknown demo"
    assert "setup:" not in out, out


def test_build_script_knows_the_kernels_demos(kernel):
    # The script reads the demo names from the kernel's DEMO() lines; the
    # kernel's own list (printed for an unknown demo) must be the same.
    result = boot(kernel, "demo=no-such-demo")
    assert "boot: unknown demo 'no-such-demo'. Known demos:" in result.output, result.explain()
    listing = result.output.split("Known demos:", 1)[1]
    kernel_names = set(re.findall(r"^  (\S+) ", listing, re.M))
    status, out = run(["scripts/build-aarch64-virt.sh", "--list"], timeout=30)
    assert status == 0, out
    names = out.split()
    assert set(n for n in names if not n.startswith("demo-")) == kernel_names, out
    assert {"demo-ipc", "demo-preempt", "demo-memory"} <= set(names), out


# ---- the build ----------------------------------------------------------------

def test_make_clean_removes_the_build_it_is_given(tmp_path):
    # In a copy of the makefiles: clean deletes for real.
    tree = tmp_path / "tree"
    for rules in [ROOT / "Makefile"] + sorted(ROOT.glob("**/rules.mk")):
        relative = rules.relative_to(ROOT)
        if relative.parts[0] in ("build", "dist"):
            continue
        (tree / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(rules, tree / relative)
    for directory in ("build/x", "dist/virt", "elsewhere/sub"):
        (tree / directory).mkdir(parents=True)
    status, out = run(["make", "clean", f"BUILD={tree}/elsewhere"], cwd=tree)
    assert status == 0, out
    assert not (tree / "elsewhere").exists() and not (tree / "dist").exists(), out
    assert (tree / "build/x").is_dir(), "make clean BUILD=elsewhere removed build/"
    status, out = run(["make", "clean"], cwd=tree)
    assert status == 0 and not (tree / "build").exists(), out
    status, out = run(["make", "clean", "BUILD=."], cwd=tree)
    assert status != 0 and (tree / "Makefile").exists(), out


def user_programs():
    """user/programs/NAME.c or user/programs/NAME/ (user/rules.mk)."""
    programs = ROOT / "user/programs"
    return sorted({p.stem for p in programs.glob("*.c")} |
                  {p.name for p in programs.iterdir() if p.is_dir()})


def test_user_elfs_keep_their_debug_information(kernel):
    # docs/part5-user-mode.md sends readers to build/user/NAME.elf for
    # objdump and gdb; only the copies in the boot archive are stripped.
    for name in user_programs():
        elf = pathlib.Path(kernel) / "user" / f"{name}.elf"
        assert elf.exists(), f"{elf} is gone after the build"
        assert b".debug_info" in elf.read_bytes(), f"{elf} has no debug information"


# ---- the container ------------------------------------------------------------

def test_container_files_fit_together():
    config = json.loads((ROOT / ".devcontainer/devcontainer.json").read_text())
    build = config["build"]
    assert (ROOT / ".devcontainer" / build["dockerfile"]).resolve() == ROOT / "Dockerfile"
    assert (ROOT / ".devcontainer" / build["context"]).resolve() == ROOT
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM debian:12$", dockerfile, re.M), dockerfile
    assert "scripts/setup.sh" in dockerfile
    assert re.search(r'^CMD \["make", "run"\]$', dockerfile, re.M), dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in ("build/", "dist/", ".git"):
        assert entry in ignored, ignored


def container_engine():
    """A container engine that can build the image here, or a reason to skip."""
    engine = os.environ.get("CONTAINER_ENGINE") or shutil.which("docker") or \
        shutil.which("podman")
    if not engine:
        return None, "no container engine (docker or podman) on PATH"
    name = os.path.basename(engine)
    status, out = run([engine, "info"], timeout=60)
    if status != 0:
        reason = next((line.strip() for line in out.splitlines()
                       if "error" in line.lower() or "cannot" in line.lower()), out.strip()[-200:])
        return None, f"'{name} info' fails, so {name} cannot build here: {reason}"
    status, out = run([engine, "image", "inspect", "debian:12"], timeout=60)
    if status != 0:
        return None, (f"the base image debian:12 is not available locally ('{name} image "
                      f"inspect debian:12' fails) and pulling it needs the internet")
    return engine, None


def test_container_builds_and_boots():
    engine, reason = container_engine()
    if not engine:
        pytest.skip(reason)
    image = f"teaching-kernel-test:{os.getpid()}"
    try:
        status, out = run([engine, "build", "-t", image, "."], timeout=3600)
        assert status == 0, out
        status, out = run([engine, "run", "--rm", image, "make", "run", "CMDLINE=exit"],
                          timeout=600)
        assert status == 0, out
        assert "boot: aarch64 QEMU virt boot OK" in out, out
        assert "boot: demo 'user' finished, powering off" in out, out
    finally:
        subprocess.run([engine, "image", "rm", "-f", image], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)


# ---- make test ----------------------------------------------------------------

def test_the_test_runner_sees_a_crash_after_the_summary(tmp_path):
    # make test reads each stage's status through scripts/run-logged.sh: a plain
    # "| tee" would report tee's success for a runner that crashed after its summary.
    log = tmp_path / "log"
    proc = subprocess.run(["sh", "scripts/run-logged.sh", str(log), "sh", "-c",
                           "echo 'ktest: 3 passed, 0 failed'; exit 134"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
    assert proc.returncode == 134, proc.stdout
    assert proc.stdout.decode() == "ktest: 3 passed, 0 failed\n"
    assert log.read_text() == "ktest: 3 passed, 0 failed\n"
    ok = subprocess.run(["sh", "scripts/run-logged.sh", str(log), "true"], timeout=30)
    assert ok.returncode == 0
