/*
 * The user-mode demos. Each starts the program "init" from the boot archive
 * as the first task, in its own address space at EL0, and tells it which
 * scene to play; init does the rest through system calls.
 *
 *   user       ping and pong, two tasks in two address spaces, call/reply_recv
 *   isolation  a task reads another's memory and the kernel's, and dies alone
 *   faults     one task per kind of fault, each killed alone
 *   usertest   the system call interface under attack (tests/qemu/test_user.py)
 *
 * When init exits, the demo reports its status and the free-frame count
 * before and after: every frame the tasks used must have come back. A
 * non-zero status powers the machine off with a failure.
 */
#include "hal/power.h"
#include "kernel/boot_info.h"
#include "kernel/demo.h"
#include "kernel/frame.h"
#include "kernel/ipc_fastpath.h"
#include "kernel/task.h"
#include "lib/errors.h"
#include "lib/printf.h"
#include "lib/string.h"

static void user_demo_run(const char *mode)
{
    char command[48];
    struct task *init;
    struct frame_allocator *fa = frame_global();
    uint64_t free_before = frame_free_count(fa);

    int len = ksnprintf(command, sizeof(command), "init %s", mode);
    int err = task_spawn(command, (size_t)len, NULL, NULL, 0, &init);
    if (err < 0) {
        kprintf("user: cannot start init: %s\n", error_name(err));
        hal_power_off(POWER_EXIT_TEST_FAILED);
    }
    kprintf("user: started init as task %u; the kernel waits for it\n", init->id);
    long status = task_wait(init);
    task_unref(init);
    kprintf("user: init exited with status %ld; free frames %llu before, %llu after\n", status,
            (unsigned long long)free_before, (unsigned long long)frame_free_count(fa));
    kprintf("user: %llu IPC operations took the register fast path\n",
            (unsigned long long)ipc_fastpath_count());
    if (status != 0) {
        hal_power_off(POWER_EXIT_TEST_FAILED);
    }
}

DEMO(user, "user", "ping and pong as two EL0 tasks in two address spaces (the default)")
{
    (void)bi;
    user_demo_run("user");
}

DEMO(isolation, "isolation", "a task reads memory that is not its own and is killed alone")
{
    (void)bi;
    user_demo_run("isolation");
}

DEMO(faults, "faults", "one task per kind of fault, each killed alone")
{
    (void)bi;
    user_demo_run("faults");
}

DEMO(usertest, "usertest", "user-mode tests of every system call, good and bad arguments")
{
    (void)bi;
    user_demo_run("usertest");
}
