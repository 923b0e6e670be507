/*
 * kmain: the portable kernel starts here, called by the architecture's boot
 * code (arch/aarch64/setup.c) with the MMU on and a struct boot_info that
 * describes the machine.
 *
 * For now it brings up the console, shows what it knows about the machine,
 * and runs what the command line asks for: the in-kernel tests ("ktest"),
 * a test hook ("crash=..."), or a demo ("demo=<name>", default "user").
 * With "exit" the machine powers off when the demo ends; otherwise it idles.
 */
#include "hal/console.h"
#include "hal/cpu.h"
#include "hal/irq.h"
#include "hal/memory.h"
#include "hal/power.h"
#include "hal/timer.h"
#include "kernel/boot_info.h"
#include "kernel/bump.h"
#include "kernel/frame.h"
#include "kernel/kernel_vspace.h"
#include "kernel/cmdline.h"
#include "kernel/demo.h"
#include "kernel/entry.h"
#include "kernel/failpoint.h"
#include "kernel/irq.h"
#include "kernel/task.h"
#include "kernel/test_hooks.h"
#include "kernel/thread.h"
#include "kernel/trace.h"
#include "kernel/vspace.h"
#include "kernel/panic.h"
#include "lib/errors.h"
#include "lib/ktest.h"
#include "lib/printf.h"

/* Set by the build (make DEFAULT_DEMO=<name>); "user" unless asked otherwise. */
#ifndef CONFIG_DEFAULT_DEMO
#define CONFIG_DEFAULT_DEMO "user"
#endif

static const struct boot_info *kernel_boot_info;

/* ktest's window on the machine: the device tree we booted with. */
const void *ktest_env_dtb(void)
{
    return hal_phys_to_virt(kernel_boot_info->dtb.base);
}

/* Prints a size as "256 MiB", "84 KiB" or "12 bytes". */
static void print_size(uint64_t size)
{
    if (size >= (1ULL << 30) && size % (1ULL << 30) == 0) {
        kprintf("%llu GiB", (unsigned long long)(size >> 30));
    } else if (size >= (1ULL << 20) && size % (1ULL << 20) == 0) {
        kprintf("%llu MiB", (unsigned long long)(size >> 20));
    } else if (size >= 1024) {
        kprintf("%llu KiB", (unsigned long long)((size + 1023) >> 10));
    } else {
        kprintf("%llu bytes", (unsigned long long)size);
    }
}

static void print_range(const char *what, const struct mem_range *r)
{
    kprintf("mem: %-9s 0x%012llx-0x%012llx  ", what, (unsigned long long)r->base,
            (unsigned long long)(r->base + r->size));
    print_size(r->size);
    kprintf("\n");
}

static void print_memory_map(const struct boot_info *bi)
{
    uint64_t total = 0;

    for (unsigned i = 0; i < bi->ram_count; i++) {
        print_range("RAM", &bi->ram[i]);
        total += bi->ram[i].size;
    }
    print_range("kernel", &bi->kernel);
    print_range("dtb", &bi->dtb);
    for (unsigned i = 0; i < bi->reserved_count; i++) {
        print_range("reserved", &bi->reserved[i]);
    }
    kprintf("mem: total RAM ");
    print_size(total);
    kprintf(" in %u range%s\n", bi->ram_count, bi->ram_count == 1 ? "" : "s");
    kprintf("dev: uart 0x%llx irq %u, gic dist 0x%llx cpu 0x%llx, timer irq %u (phys) %u (virt)\n",
            (unsigned long long)bi->uart_base, bi->uart_irq, (unsigned long long)bi->gicd_base,
            (unsigned long long)bi->gicc_base, bi->timer_irq_phys, bi->timer_irq_virt);
    static const char *const conduits[] = {"none", "hvc", "smc"};
    kprintf("cpu: %u CPU%s, PSCI via %s\n", bi->cpu_count, bi->cpu_count == 1 ? "" : "s",
            conduits[bi->psci]);
}

static void print_banner(const struct boot_info *bi)
{
    unsigned el = hal_cpu_current_el();

    if (bi->entry_el != el) {
        kprintf("boot: %s boot OK (EL%u -> EL%u)\n", hal_platform_name(), bi->entry_el, el);
    } else {
        kprintf("boot: %s boot OK (EL%u)\n", hal_platform_name(), el);
    }
}

/*
 * Physical memory: the bump allocator hands out the first free RAM after
 * the kernel while nothing else exists (here: the buddy allocator's own
 * bookkeeping), then the buddy allocator takes over all the rest.
 */
static void init_frames(const struct boot_info *bi)
{
    static struct bump early;

    int err = bump_init_from_boot_info(&early, bi);
    if (err == 0) {
        kprintf("mem: bump allocator starts at 0x%llx, right after the kernel\n",
                (unsigned long long)early.next);
        err = frame_global_init(bi, &early);
    }
    if (err < 0) {
        panic("mem: cannot set up the frame allocator: %s", error_name(err));
    }
    frame_print_summary(frame_global());
}

/* "ktest" runs every in-kernel test case, "ktest=<prefix>" only matching ones;
 * either way the machine powers off with the result. */
static void run_ktest_if_asked(const char *cmdline)
{
    char filter[64] = "";

    if (!cmdline_has_flag(cmdline, "ktest") &&
        !cmdline_get(cmdline, "ktest", filter, sizeof(filter))) {
        return;
    }
    sched_start_preemption(KTEST_SLICE_NS);
    hal_irq_local_enable();
    int failed = ktest_run_all(filter);
    hal_power_off(failed ? POWER_EXIT_TEST_FAILED : POWER_EXIT_OK);
}

/* ASIDs as wide as the CPU has, or asid_bits=N (2 or more) to make
 * generations short and rollovers frequent (kernel/vspace_asid.c). */
static void configure_asids(const char *cmdline)
{
    uint64_t bits = 0;
    struct vspace_asid_info info;

    if (cmdline_get_u64(cmdline, "asid_bits", &bits) && bits > 0) {
        vspace_asid_configure(bits > MMU_ASID_MAX_BITS ? MMU_ASID_MAX_BITS : (unsigned)bits);
    }
    vspace_asid_info(&info);
    kprintf("mmu: %u-bit ASIDs, %u for user address spaces", info.bits, (1u << info.bits) - 1);
    if (info.bits != info.cpu_bits) {
        kprintf(" (asid_bits=%u; the CPU has %u)", info.bits, info.cpu_bits);
    }
    kprintf("\n");
}

void kmain(const struct boot_info *bi)
{
    char demo_name[32] = CONFIG_DEFAULT_DEMO;

    kernel_boot_info = bi;
    hal_console_init(bi);
    print_banner(bi);
    print_memory_map(bi);
    kprintf("boot: command line \"%s\"\n", bi->cmdline);
    init_frames(bi);
    kernel_vspace_init(bi); /* from here on: the kernel's own W^X tables */
    hal_irq_init(bi);
    hal_timer_init(bi);
    irq_reserve(bi->uart_irq); /* the console stays the kernel's */
    sched_init();
    task_init();
    configure_asids(bi->cmdline);
    if (cmdline_has_flag(bi->cmdline, "faultinject")) {
        failpoint_allow_user();
        kprintf("boot: fault injection may be armed from user mode\n");
    }

    test_hooks_run(bi->cmdline);
    run_ktest_if_asked(bi->cmdline);

    uint64_t slice_ms = 10;
    cmdline_get_u64(bi->cmdline, "slice_ms", &slice_ms);
    sched_start_preemption(slice_ms * 1000000);
    kprintf("sched: preemptive, %llu ms time slices, timer %llu Hz, irq %u\n",
            (unsigned long long)sched_slice_ns() / 1000000,
            (unsigned long long)hal_timer_frequency(), hal_timer_irq());
    hal_irq_local_enable();
    test_hooks_run_late(bi->cmdline);

    cmdline_get(bi->cmdline, "demo", demo_name, sizeof(demo_name));
    const struct demo *demo = demo_find(demo_name);
    if (!demo) {
        kprintf("boot: unknown demo '%s'. Known demos:\n", demo_name);
        demo_print_list();
        hal_power_off(POWER_EXIT_BAD_ARGS);
    }
    kprintf("boot: running demo '%s'\n", demo->name);
    demo->run(bi);
    if (CONFIG_TRACE) {
        trace_dump(); /* what scripts/trace.py draws (make trace) */
    }

    if (cmdline_has_flag(bi->cmdline, "exit")) {
        kprintf("boot: demo '%s' finished, powering off\n", demo->name);
        hal_power_off(POWER_EXIT_OK);
    }
    kprintf("boot: demo '%s' finished; idling (quit QEMU with Ctrl-A X)\n", demo->name);
    for (;;) {
        hal_cpu_idle();
    }
}
