/*
 * Tasks: programs running in user mode, each in its own address space.
 *
 * A task owns:
 *   - an address space (struct umem: its page tables and ASID, and the
 *     frames mapped in it), which only its threads run in;
 *   - its threads (user threads: kernel threads that spend their life at
 *     EL0 and enter the kernel through system calls and faults);
 *   - a handle table: the endpoints, notifications and tasks it may use.
 *
 * A task ends when its last thread exits, when it faults, or when a task
 * holding a handle to it kills it: then the kernel stops it, frees
 * everything it owned, and wakes whoever waited on it or on its endpoints
 * with E_DEAD. The rest of the system carries on.
 */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/handle.h"
#include "kernel/thread_internal.h"
#include "kernel/umem.h"
#include "lib/list.h"

struct thread;

#define TASK_NAME_MAX 32

enum task_state {
    TASK_NEW,     /* being built by task_spawn; its first thread not started */
    TASK_RUNNING, /* its threads run */
    TASK_DYING,   /* killed or exited: its threads are gone, the reaper frees its memory */
    TASK_EXITED,  /* all gone; exit_status says how: a status, or E_DEAD if killed */
};

struct task {
    unsigned refs; /* 0: a free slot; one until it is reaped, one per handle to it */
    uint32_t id;
    char name[TASK_NAME_MAX];
    enum task_state state;
    long exit_status;
    struct umem mem;
    struct handle_table handles;
    unsigned threads;            /* live threads */
    uint32_t thread_slots;       /* which thread slots (and IPC buffer pages) they hold */
    struct thread *first_thread; /* TASK_NEW: the thread task_start starts */
    struct list_node waiters;    /* threads in task_wait, oldest first */
    struct list_node reap_link;  /* in the reaper's queue while DYING */
    uint64_t entry;              /* where its first thread starts, */
    uint64_t initial_sp;         /* with this stack, and its argument string there */
    size_t arg_len;
    struct endpoint *fault_ep; /* where its faults go (SYS_FAULT_HANDLER), holding a reference */
};

/*
 * Everything here needs the kernel lock (include/kernel/klock.h), except
 * task_run_program, task_wait and the two that end the caller, which take
 * it themselves. None of them switches threads except by blocking
 * (task_wait) or ending the caller.
 */

/*
 * Builds a task from the program named by the first word of command (the
 * rest is its argument string) in the boot archive: address space, handles
 * and a first thread, not started yet (TASK_NEW). The handles listed
 * (numbers in parent's table; parent may be NULL for the first task) are
 * copied into the new task's table at 0, 1, 2, ...
 * Returns 0 and the task (holding one reference for the caller), or:
 * E_NOENT (no such program), E_BADFMT (it is not a valid ELF: the reason
 * is printed), E_BADHANDLE, E_INVAL, E_NOSPC, E_NOMEM. On an error nothing
 * stays behind (the reaper frees what a half-built task took).
 */
int task_spawn(const char *command, size_t command_len, struct task *parent, const long *handles,
               size_t handle_count, struct task **out);

/* Starts a task_spawn'ed task's first thread. It runs from the caller's
 * next preemption point on. */
void task_start(struct task *t);

/* For kernel threads: spawns command (no parent, no handles) and starts it.
 * Takes the kernel lock itself. Returns 0 and the task, holding a
 * reference for the caller, or task_spawn's error. */
int task_run_program(const char *command, struct task **out);

/*
 * Ends t with status: stops its threads (all but the caller, if the caller
 * is one of them: it must then end itself with thread_exit), closes its
 * handles, kills the endpoints it created, unbinds its interrupts, and
 * queues it for the reaper, which frees its memory and then wakes
 * task_wait callers. Nothing if t is already dying or gone. Never switches.
 */
void task_kill(struct task *t, long status);

/* Waits until t has been reaped and returns its exit status (E_DEAD if
 * killed). E_INVAL if t is the caller's own task. */
long task_wait(struct task *t);

/* Takes and drops a reference; the last one frees the slot. */
void task_ref(struct task *t);
void task_unref(struct task *t);

/* Task slots in use (live tasks, and ended ones still referenced). */
unsigned task_count(void);

/* Handles and memory regions that all live tasks hold, for the accounting. */
void task_count_held(unsigned *handles, unsigned *regions);

/* Starts the reaper. Once, at boot, before the first task. */
void task_init(void);

/*
 * Makes a suspended user thread in t that will enter user mode at entry
 * with stack top sp and x0/x1 = arg0/arg1, with a thread slot and its IPC
 * buffer page. 0, or E_NOSPC (TASK_MAX_THREADS, or no thread slot), E_NOMEM.
 */
int task_thread_new(struct task *t, uint64_t entry, uint64_t sp, uint64_t arg0, uint64_t arg1,
                    struct thread **out);

/*
 * Starts a new thread in the calling thread's task at user address entry,
 * with stack top sp and x0/x1 = arg0/arg1. Returns its id, or E_INVAL (a
 * bad entry or stack), E_NOSPC (TASK_MAX_THREADS, or no thread slot), E_NOMEM.
 */
long task_thread_create(uint64_t entry, uint64_t sp, uint64_t arg0, uint64_t arg1);

/* Ends the calling thread; the task's last thread ends the task (status 0). */
__attribute__((noreturn)) void task_thread_exit_current(void);

/* Ends the calling thread's task with status. Does not return. */
__attribute__((noreturn)) void task_exit_current(long status);

/* Names ep (NULL: none) as where t's faults go, dropping the one before.
 * Kernel lock held. */
void task_set_fault_handler(struct task *t, struct endpoint *ep);

/* The calling thread's task, or NULL for a kernel thread. */
static inline struct task *task_current(void)
{
    return thread_current()->task;
}

/* Makes t's address space the one user mode sees, on a switch to one of its
 * threads: nothing to do if it is already. Kernel lock held. */
extern struct task *task_active;
/* task_activate's way when t's address space must take a new ASID first (a
 * rollover took its old one back): out of line, and with no argument, so
 * that the switches keep nothing ready for it. Activates task_active. */
void task_activate_new_asid(void);

static inline void task_activate(struct task *t)
{
    if (t != task_active) {
        task_active = t;
        if (__builtin_expect(!vspace_try_activate(&t->mem.vs), 0)) {
            task_activate_new_asid();
        }
    }
}

/* task_activate's inline half, for the IPC hand-off: false (and nothing
 * changed) when t's address space must take a new ASID first, which
 * task_activate does. */
static inline bool task_try_activate(struct task *t)
{
    if (t != task_active) {
        if (!vspace_try_activate(&t->mem.vs)) {
            return false;
        }
        task_active = t;
    }
    return true;
}

#endif
