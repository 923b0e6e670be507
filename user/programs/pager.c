/*
 * pager: memory on demand, served from user mode. The kernel hands a
 * task's faults to its fault handler as messages (SYS_FAULT_HANDLER,
 * include/uapi/syscall.h); this one answers each by mapping a fresh page
 * where the fault was (SYS_TASK_MAP) and resuming the thread, which then
 * retries the access and goes on as if the memory had always been there.
 *
 *   pager          the pager: spawns "pager worker", becomes its fault
 *                  handler, serves its faults, and checks that every page
 *                  it mapped was one the worker touched
 *   pager worker   touches PAGES pages of a window nobody mapped, writes
 *                  and reads them back, and says so
 *
 * Faults outside the window, or of any other kind, are answered with a
 * label other than FAULT_RESUME: the kernel ends the worker as it would
 * without a handler.
 */
#include "ulib.h"

#define PAGE         4096UL
#define PAGES        100
#define WINDOW       (USER_MAP_BASE + 0x40000000ULL)
#define LABEL_GO     1
#define LABEL_DONE   2
#define LABEL_REFUSE 99 /* anything but FAULT_RESUME ends the faulting task */

/* The worker's handles: 0, the endpoint it says "done" on (the same one its
 * faults come through). */
static int worker(void)
{
    struct umsg m;
    long failures = 0;

    /* Wait for the pager's go: by then it is our fault handler. */
    if (sys_recv(0, &m) < 0 || MSGINFO_LABEL(m.info) != LABEL_GO) {
        return 10;
    }
    for (uint64_t i = 0; i < PAGES; i++) {
        volatile uint64_t *p = (volatile uint64_t *)(WINDOW + i * PAGE);
        p[1] = i * 7 + 1; /* the first touch faults; the pager maps the page */
    }
    for (uint64_t i = 0; i < PAGES; i++) {
        const volatile uint64_t *p = (const volatile uint64_t *)(WINDOW + i * PAGE);
        failures += p[0] != 0 || p[1] != i * 7 + 1 || p[PAGE / 8 - 1] != 0;
    }
    uint64_t w[4] = {(uint64_t)failures, 0, 0, 0};
    sys_call(0, MSGINFO(LABEL_DONE, 1), w, &m);
    return failures == 0 ? 0 : 1;
}

int main(const char *arg, size_t arg_len)
{
    if (arg_len == 6 && memcmp(arg, "worker", 6) == 0) {
        return worker();
    }
    long ep = sys_endpoint_create(0);
    UASSERT(ep >= 0);
    long handles[1] = {ep};
    long task = sys_spawn("pager worker", handles, 1);
    UASSERT(task >= 0);
    UASSERT(sys_fault_handler((uint64_t)task, (uint64_t)ep) == 0);
    uint64_t w[4] = {0};
    UASSERT(sys_send(ep, MSGINFO(LABEL_GO, 0), w) == 0);

    struct umsg m;
    uint64_t faults = 0;
    uint64_t mapped = 0;
    uint64_t refused = 0;
    long worker_failures = -1;
    long err = sys_recv(ep, &m);
    while (err == 0) {
        uint64_t label = MSGINFO_LABEL(m.info);
        if (label == LABEL_DONE) {
            worker_failures = (long)m.w[0];
            err = sys_reply(MSGINFO(0, 0), w);
            break;
        }
        uint64_t reply = LABEL_REFUSE;
        if (label == FAULT_MSG_LABEL && MSGINFO_LENGTH(m.info) == 4) {
            faults++;
            uint64_t kind = m.w[0];
            uint64_t page = m.w[1] & ~(PAGE - 1);
            if ((kind == FAULT_READ || kind == FAULT_WRITE) && page >= WINDOW &&
                page < WINDOW + PAGES * PAGE &&
                sys_task_map((uint64_t)task, page, PAGE, PROT_READ | PROT_WRITE) == (long)page) {
                mapped++;
                reply = FAULT_RESUME;
            } else {
                refused++;
            }
        }
        err = sys_reply_recv(ep, MSGINFO(reply, 0), w, &m);
    }
    long status = sys_task_wait(task);
    printf("pager: %llu faults served, %llu pages mapped on demand, %llu refused; "
           "the worker read back %s and exited with %ld\n",
           (unsigned long long)faults, (unsigned long long)mapped, (unsigned long long)refused,
           worker_failures == 0 ? "every page" : "wrong values", status);
    sys_handle_close(ep);
    return status == 0 && worker_failures == 0 && mapped == PAGES && refused == 0 ? 0 : 1;
}
