"""The developer commands work as the docs say: make debug attaches gdb with
symbols, and the original project's build/run scripts still work."""
import os
import subprocess


def test_make_debug_stops_at_kmain(kernel, tmp_path):
    commands = tmp_path / "gdb-commands"
    commands.write_text("break kmain\ncontinue\nprint bi->cmdline\nbt\n"
                        "break demo_find\ncontinue\n")
    # A port of our own, so parallel runs do not collide.
    env = dict(os.environ, GDB_BATCH="1", GDB_COMMANDS=str(commands),
               GDB_PORT=str(20000 + os.getpid() % 10000), SERIAL_LOG=str(tmp_path / "serial"))
    proc = subprocess.run(
        ["scripts/debug.sh", os.path.join(kernel, "kernel.elf"),
         "-machine virt,gic-version=2 -cpu cortex-a53 -m 256M -nographic", "demo=boot from-gdb"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=120)
    out = proc.stdout.decode(errors="replace")
    assert "Breakpoint 1, kmain" in out, out
    assert '"demo=boot from-gdb"' in out, out
    assert "arch_boot_main" in out, out
    # Continuing to demo_find ran kmain past the banner, into the serial log.
    assert "boot OK" in (tmp_path / "serial").read_text(), out


def test_original_build_and_run_scripts():
    build = subprocess.run(["scripts/build-aarch64-virt.sh", "boot"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=600)
    assert build.returncode == 0, build.stdout.decode(errors="replace")
    assert os.path.exists("dist/virt/os-aarch64-virt.elf")
    run = subprocess.run(["scripts/run-aarch64-virt.sh", "exit"], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    out = run.stdout.decode(errors="replace")
    assert run.returncode == 0, out
    assert "boot: running demo 'boot'" in out, out


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
