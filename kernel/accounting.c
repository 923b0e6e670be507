/* The kernel's books (see include/kernel/accounting.h). */
#include "kernel/accounting.h"

#include "kernel/failpoint.h"
#include "kernel/frame.h"
#include "kernel/ipc.h"
#include "kernel/ipc_fastpath.h"
#include "kernel/irq_user.h"
#include "kernel/klock.h"
#include "kernel/kstack.h"
#include "kernel/notify.h"
#include "kernel/task.h"
#include "kernel/thread.h"
#include "kernel/vspace.h"
#include "lib/string.h"

uint64_t accounting_syscalls;

void accounting_read(struct kernel_counts *c)
{
    struct frame_allocator *fa = frame_global();
    unsigned handles;
    unsigned regions;

    KLOCK_ASSERT_HELD();
    memset(c, 0, sizeof(*c));
    task_count_held(&handles, &regions);
    c->free_frames = fa ? frame_free_count(fa) : 0;
    c->tasks = task_count();
    c->threads = thread_count();
    c->kernel_stacks = kstack_count();
    c->endpoints = endpoint_count();
    c->notifications = notify_count();
    c->handles = handles;
    c->queued_handles = endpoint_queued_transfers();
    c->regions = regions;
    c->irq_bindings = irq_user_binding_count();
    c->syscalls = accounting_syscalls + ipc_fastpath_count();
    c->ipc_fastpath = ipc_fastpath_count();
    c->injected_failures = failpoint_failures();
    struct vspace_asid_info asids;
    vspace_asid_info(&asids);
    c->asid_bits = asids.bits;
    c->asid_rollovers = asids.rollovers;
}
