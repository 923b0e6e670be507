/*
 * Benchmarks that involve user mode.
 *
 *   task   task_spawn + task_wait of "benchsrv exit", a program that exits
 *          at once; and the same with "benchsrv fault", which stores to a
 *          null pointer instead, so the difference is what a user page
 *          fault costs, from the faulting store to the dead task's last
 *          thread switching away (including the one-line report the kernel
 *          prints for every killed task).
 *   user   the figures only user mode can measure (system calls, IPC
 *          between address spaces, notifications, yields). Each comes from
 *          one run of the user program "bench" (user/programs/bench.c),
 *          which reads the cycle counter at EL0, takes its own medians, and
 *          hands back the figure as its exit status, the one channel every
 *          task already has to the kernel that waits for it.
 *   trace  (only when named) one traced IPC call for scripts/bench.py,
 *          which runs QEMU with an instruction log; it records no figure.
 */
#include "hal/perf.h"
#include "kernel/bench.h"
#include "kernel/klock.h"
#include "kernel/panic.h"
#include "kernel/task.h"
#include "lib/bench_stats.h"
#include "lib/errors.h"
#include "lib/printf.h"
#include "lib/string.h"

/* Spawns command and waits for it; returns its exit status. */
static long bench_spawn_wait(const char *command)
{
    struct task *t;
    int err = task_run_program(command, &t);

    if (err < 0) {
        return err;
    }
    long status = task_wait(t);
    unsigned long flags = klock_acquire();
    task_unref(t);
    klock_release(flags);
    return status;
}

static void spawn_exit_op(void *ctx)
{
    (void)ctx;
    KASSERT(bench_spawn_wait("benchsrv exit") == 0);
}

static void spawn_fault_op(void *ctx)
{
    (void)ctx;
    KASSERT(bench_spawn_wait("benchsrv fault") == E_DEAD);
}

static void bench_tasks(void)
{
    uint64_t n = bench_settings()->slow_iterations;

    uint64_t spawn = bench_net(spawn_exit_op, NULL, NULL, n);
    bench_record("task.spawn_exit", "spawn + exit + wait of a small task", spawn, n);
    uint64_t fault = bench_time(spawn_fault_op, NULL, n);
    uint64_t exit = bench_time(spawn_exit_op, NULL, n);
    bench_record("fault.kill", "user page fault to kill (spawn+fault+wait minus spawn+exit+wait)",
                 bench_subtract(fault, exit), n);
}

struct user_figure {
    const char *name;
    const char *what;
    const char *mode; /* the arguments of "bench", before the iteration count */
};

static const struct user_figure user_figures[] = {
    {"syscall.null", "null system call, EL0 -> EL1 -> EL0 (unused number, E_NOSYS)", "null"},
    {"syscall.yield_alone", "yield with nothing else ready", "yield"},
    {"syscall.map_page", "map one fresh 4 KiB page from EL0, the system call included", "map"},
    {"ipc.xas.rt.w0", "IPC call + reply_recv round trip, 2 address spaces, 0 words", "ipc 0"},
    {"ipc.xas.rt.w1", "IPC call + reply_recv round trip, 2 address spaces, 1 word", "ipc 1"},
    {"ipc.xas.rt.w4", "IPC call + reply_recv round trip, 2 address spaces, 4 words", "ipc 4"},
    {"ipc.xas.rt.w10", "IPC round trip, 2 address spaces, 10 words (IPC buffer)", "ipc 10"},
    {"ipc.xas.rt.w64", "IPC round trip, 2 address spaces, 64 words (IPC buffer)", "ipc 64"},
    {"ipc.thread.rt.w4", "IPC call + reply_recv round trip, 2 threads of one task, 4 words",
     "ipc-thread 4"},
    {"ipc.xas.call.w4", "IPC call one way: client's svc to server's return, 4 words", "ipc-call"},
    {"ipc.xas.reply.w4", "IPC reply_recv one way: server's svc to client's return, 4 words",
     "ipc-reply"},
    {"notify.wakeup", "signal -> wait wakeup between 2 tasks (per direction of a ping-pong)",
     "notify"},
    {"yield.switch", "thread switch via yield between 2 tasks (per switch)", "switch"},
    {"fault.user_handler_rt", "user fault -> handler task -> reply -> the faulting thread resumes",
     "fault"},
    {"irq.user_notify",
     "IRQ to a user thread's notification: trigger, GIC, handler, signal, wait returns", "irq"},
};

static void bench_user_programs(void)
{
    uint64_t n = bench_settings()->iterations;
    char command[64];

    hal_perf_user_access(true);
    for (unsigned i = 0; i < sizeof(user_figures) / sizeof(user_figures[0]); i++) {
        const struct user_figure *f = &user_figures[i];
        ksnprintf(command, sizeof(command), "bench %s %llu %s", f->mode, (unsigned long long)n,
                  bench_unit());
        long status = bench_spawn_wait(command);
        if (status < 0) {
            kprintf("bench: \"%s\" failed: %s\n", command, error_name((int)status));
            bench_skip(f->name, "the user program failed");
            continue;
        }
        bench_record(f->name, f->what, (uint64_t)status, n);
    }
    hal_perf_user_access(false);
}

/* One traced call for scripts/bench.py (run under QEMU -d exec): no figure. */
static void bench_trace(void)
{
    long status;

    hal_perf_user_access(true);
    status = bench_spawn_wait("bench trace");
    hal_perf_user_access(false);
    kprintf("bench: traced call took %ld %s by the counter\n", status, bench_unit());
}

void bench_user_run(void)
{
    if (bench_group_listed("trace")) {
        bench_trace();
    }
    if (bench_group_enabled("task")) {
        bench_tasks();
    }
    if (bench_group_enabled("user")) {
        bench_user_programs();
    }
}
