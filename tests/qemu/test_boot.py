"""Boot scenarios: banner, memory map, entry levels, image formats, command line."""
import pytest

from qemu import boot, expect

BANNER = r"^boot: aarch64 QEMU virt boot OK \(EL1\)$"


@pytest.mark.smoke
def test_banner_and_memory_map(kernel):
    run = boot(kernel, "demo=boot exit")
    expect(run, 0, [
        BANNER,
        r"^mem: RAM\s+0x000040000000-0x000050000000\s+256 MiB$",
        r"^mem: kernel\s+0x000040200000-",
        r"^mem: dtb\s+0x000040000000-0x000040100000\s+1 MiB$",
        r"^dev: uart 0x9000000 irq 33, gic dist 0x8000000 cpu 0x8010000, "
        r"timer irq 30 \(phys\) 27 \(virt\)$",
        r"^cpu: 1 CPU, PSCI via hvc$",
        r"^boot: command line \"demo=boot exit\"$",
        r"^demo/boot:   code  0xffff0000402",
        r"^boot: demo 'boot' finished, powering off$",
    ])


@pytest.mark.parametrize("mem,end,size", [
    ("128M", "0x000048000000", "128 MiB"),
    ("2G", "0x0000c0000000", "2 GiB"),
    ("4G", "0x000140000000", "4 GiB"),
])
def test_memory_sizes(kernel, mem, end, size):
    run = boot(kernel, "exit", mem=mem)
    expect(run, 0, [BANNER, rf"^mem: RAM\s+0x000040000000-{end}\s+{size}$",
                    rf"^mem: total RAM {size} in 1 range$"])


def test_cpu_count_from_device_tree(kernel):
    run = boot(kernel, "exit", extra=["-smp", "4"])
    expect(run, 0, [BANNER, r"^cpu: 4 CPUs, PSCI via hvc$"])


def test_entry_at_el2(kernel):
    run = boot(kernel, "exit", machine="virt,gic-version=2,virtualization=on")
    expect(run, 0, [r"^boot: aarch64 QEMU virt boot OK \(EL2 -> EL1\)$",
                    r"^cpu: 1 CPU, PSCI via smc$"])


def test_entry_at_el3(kernel):
    # secure=on has no PSCI: power-off goes through semihosting.
    run = boot(kernel, "exit", machine="virt,gic-version=2,secure=on")
    expect(run, 0, [r"^boot: aarch64 QEMU virt boot OK \(EL3 -> EL1\)$",
                    r"^cpu: 1 CPU, PSCI via none$"])


@pytest.mark.smoke
def test_raw_image_boot(kernel):
    # An Image boot gets the DTB address in x0; QEMU puts it at RAM + 128 MiB.
    run = boot(kernel, "demo=boot exit", image="img")
    expect(run, 0, [BANNER, r"^mem: dtb\s+0x000048000000-", r"finished, powering off$"])


def test_unknown_demo_lists_demos(kernel):
    run = boot(kernel, "demo=no-such-demo exit")
    expect(run, 2, [r"^boot: unknown demo 'no-such-demo'\. Known demos:$", r"^  boot\s+\S"])


def test_last_demo_word_wins(kernel):
    run = boot(kernel, "demo=no-such-demo demo=boot exit")
    expect(run, 0, [r"^boot: running demo 'boot'$"])


def test_power_off_without_semihosting(kernel):
    # Status 0 needs no semihosting: PSCI SYSTEM_OFF.
    run = boot(kernel, "exit", semihosting=False)
    expect(run, 0, [BANNER, r"powering off$"])


def test_failure_status_without_semihosting_is_reported(kernel):
    # The hlt #0xf000 probe traps as undefined; the kernel says the status is lost.
    run = boot(kernel, "crash=panic", semihosting=False)
    expect(run, 0, [r"KERNEL PANIC", r"^power: exit status 3 is lost"], forbidden=[])


def test_without_exit_the_kernel_idles(kernel):
    run = None
    try:
        run = boot(kernel, "demo=boot", timeout=5)
    except AssertionError as e:
        assert "timed out" in str(e)
        assert "boot: demo 'boot' finished; idling" in str(e)
    assert run is None, "the kernel powered off although 'exit' was not given"
