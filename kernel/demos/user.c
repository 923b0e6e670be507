/*
 * The user-mode demos. Each starts the program "init" from the boot archive
 * as the first task, in its own address space at EL0, and tells it which
 * scene to play; init does the rest through system calls.
 *
 *   user       ping and pong, two tasks in two address spaces, call/reply_recv
 *   isolation  a task reads another's memory and the kernel's, and dies alone
 *   faults     one task per kind of fault, each killed alone
 *   usertest   the system call interface under attack (tests/qemu/test_user.py)
 *   racetest   system calls racing each other, at slice_ms=1
 *   faultinject  every kernel allocation made to fail in turn
 *   fuzz       random system calls from several tasks, killed and respawned
 *   pager      a task's faults served by another task, which maps pages on demand
 *
 * When init exits, the demo reports its status and the free-frame count
 * before and after: every frame the tasks used must have come back. A
 * non-zero status powers the machine off with a failure.
 */
#include "hal/power.h"
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/demo.h"
#include "kernel/frame.h"
#include "kernel/ipc_fastpath.h"
#include "kernel/klock.h"
#include "kernel/task.h"
#include "lib/errors.h"
#include "lib/printf.h"
#include "lib/string.h"

/*
 * Runs init with "MODE", followed by the values of the command-line keys
 * given (those present): "demo=usertest only=task_kill" runs
 * "init usertest task_kill".
 */
static void user_demo_run(const struct boot_info *bi, const char *mode, const char *const *keys)
{
    char command[128];
    char value[64]; /* the longest test case name fits */
    struct task *init;
    struct frame_allocator *fa = frame_global();
    uint64_t free_before = frame_free_count(fa);

    int len = ksnprintf(command, sizeof(command), "init %s", mode);
    for (; keys && *keys; keys++) {
        if (cmdline_get(bi->cmdline, *keys, value, sizeof(value)) && len < (int)sizeof(command)) {
            len += ksnprintf(command + len, sizeof(command) - (size_t)len, " %s", value);
        }
    }
    int err = task_run_program(command, &init);
    if (err < 0) {
        kprintf("user: cannot start init: %s\n", error_name(err));
        hal_power_off(POWER_EXIT_TEST_FAILED);
    }
    kprintf("user: started init as task %u; the kernel waits for it\n", init->id);
    long status = task_wait(init);
    unsigned long flags = klock_acquire();
    task_unref(init);
    uint64_t free_after = frame_free_count(fa);
    klock_release(flags);
    kprintf("user: init exited with status %ld; free frames %llu before, %llu after\n", status,
            (unsigned long long)free_before, (unsigned long long)free_after);
    kprintf("user: %llu IPC operations took the register fast path\n",
            (unsigned long long)ipc_fastpath_count());
    if (status != 0) {
        hal_power_off(POWER_EXIT_TEST_FAILED);
    }
}

static const char *const only_key[] = {"only", NULL};

DEMO(user, "user", "ping and pong as two EL0 tasks in two address spaces (the default)")
{
    user_demo_run(bi, "user", NULL);
}

DEMO(isolation, "isolation", "a task reads memory that is not its own and is killed alone")
{
    user_demo_run(bi, "isolation", NULL);
}

DEMO(faults, "faults", "one task per kind of fault, each killed alone")
{
    user_demo_run(bi, "faults", NULL);
}

DEMO(usertest, "usertest", "user-mode tests of every system call, good and bad arguments")
{
    user_demo_run(bi, "usertest", only_key);
}

DEMO(racetest, "racetest", "system calls racing each other (run it with slice_ms=1)")
{
    user_demo_run(bi, "racetest", only_key);
}

DEMO(faultinject, "faultinject", "every kernel allocation made to fail in turn (with faultinject)")
{
    static const char *const keys[] = {"only", "failnth", NULL};
    user_demo_run(bi, "faultinj", keys);
}

DEMO(fuzz, "fuzz", "tasks calling every system call with random arguments, killed and respawned")
{
    static const char *const keys[] = {"seed", "calls", NULL};
    user_demo_run(bi, "fuzz run", keys);
}

DEMO(pager, "pager", "a task's page faults served by a pager task, which maps memory on demand")
{
    user_demo_run(bi, "pager", NULL);
}
