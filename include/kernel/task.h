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
 * A task ends when it calls exit, or when it faults: then the kernel kills
 * it, frees everything it owned, and wakes whoever waited on it or on its
 * endpoints with E_DEAD. The rest of the system carries on.
 */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/handle.h"
#include "kernel/umem.h"
#include "lib/list.h"

#define TASK_NAME_MAX 32

enum task_state {
    TASK_RUNNING,
    TASK_EXITED, /* exit_status says how: a status, or E_DEAD if killed */
};

struct task {
    unsigned refs; /* 0: a free slot; live threads and handles to it count */
    uint32_t id;
    char name[TASK_NAME_MAX];
    enum task_state state;
    long exit_status;
    struct umem mem;
    struct handle_table handles;
    unsigned threads;         /* live threads */
    struct list_node waiters; /* threads in task_wait, oldest first */
    uint64_t entry;           /* where its first thread starts, */
    uint64_t initial_sp;      /* with this stack, and its argument string there */
    size_t arg_len;
    uint32_t ipc_slots; /* which pages of the IPC buffer area its threads hold */
};

/* Takes and drops a reference on the object a handle names, by its type. */
void object_unref(enum handle_type type, void *object);
void object_ref(enum handle_type type, void *object);

/*
 * Starts the program named by the first word of command (the rest is its
 * argument string) from the boot archive, as a new task with one thread.
 * The handles listed (numbers in parent's table; parent may be NULL for the
 * first task) are copied into the new task's table at 0, 1, 2, ...
 * Returns 0 and the task (holding one reference for the caller), or:
 * E_NOENT (no such program), E_BADFMT (it is not a valid ELF: the reason
 * is printed), E_BADHANDLE, E_INVAL, E_NOSPC, E_NOMEM.
 */
int task_spawn(const char *command, size_t command_len, struct task *parent, const long *handles,
               size_t handle_count, struct task **out);

/* Waits until t has exited and returns its exit status (E_DEAD if killed). */
long task_wait(struct task *t);

/* Takes and drops a reference; the last one frees the slot. */
void task_ref(struct task *t);
void task_unref(struct task *t);

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

/* The calling thread's task, or NULL for a kernel thread. */
struct task *task_current(void);

/* Makes t's address space the one user mode sees (on a switch to its thread). */
void task_activate(struct task *t);

#endif
