/* usertest: fault handlers (SYS_FAULT_HANDLER) and mapping into another
 * task (SYS_TASK_MAP) (see usertest.h). */
#include "usertest.h"

#define LABEL_GO   1
#define LABEL_KILL 7 /* anything but FAULT_RESUME */

/* Not "static": the compiler must not see through the address. */
volatile uint64_t faults_target = UNMAPPED;
volatile uint64_t faults_value;

/* child:fault-twice: handle 0 is an endpoint. Waits for the go, then loads
 * from an unmapped page three times: the handler skips the first load,
 * maps the page for the second (retried), and may end the task at the
 * third, an undefined instruction. Exits 0 only if both loads came out
 * as they should. */
int child_fault_twice(void)
{
    struct umsg m;
    uint64_t skipped = 42;

    if (sys_recv(0, &m) != 0 || MSGINFO_LABEL(m.info) != LABEL_GO) {
        return 10;
    }
    /* The handler resumes this one at the next instruction: x9 keeps 42. */
    register uint64_t x9 __asm__("x9") = skipped;
    register uint64_t x10 __asm__("x10") = faults_target;
    __asm__ volatile("ldr x9, [x10]" : "+r"(x9) : "r"(x10) : "memory");
    skipped = x9;
    /* This one it maps, and resumes at the load itself. */
    faults_value = *(volatile uint64_t *)(faults_target + 8);
    if (skipped != 42 || faults_value != 0) {
        return 11;
    }
    __asm__ volatile(".word 0x00000000"); /* udf: the handler ends the task */
    return 12;
}

/* child:fault-handler-exit: handle 0 is an endpoint: takes one message and
 * ends without answering. */
int child_fault_handler_exit(void)
{
    struct umsg m;

    sys_recv(0, &m);
    return 0;
}

/* Receives the next fault of task on ep and checks the message. */
static int expect_fault(long ep, long task_id, uint64_t kind, uint64_t address, struct umsg *m)
{
    if (sys_recv(ep, m) != 0) {
        return 0;
    }
    CHECK_EQ(MSGINFO_LABEL(m->info), FAULT_MSG_LABEL);
    CHECK_EQ(MSGINFO_LENGTH(m->info), 4);
    CHECK_EQ(m->badge, (uint64_t)task_id);
    CHECK_EQ(m->w[0], kind);
    CHECK_EQ(m->w[1], address);
    CHECK(m->w[2] >= 0x400000 && m->w[2] < USER_MAP_BASE); /* a pc in its program */
    return 1;
}

/* A handler resumes a thread past a fault, or at the same instruction after
 * mapping the page it needed, and ends it with any other answer. */
void test_fault_handler_resumes_or_ends(void)
{
    long ep = sys_endpoint_create(0);
    long handles[1] = {ep};
    uint64_t w[4] = {0};
    struct umsg m;

    CHECK(ep >= 0);
    long child = usertest_spawn_child("fault-twice", handles, 1);
    CHECK(child >= 0);
    CHECK_EQ(sys_fault_handler((uint64_t)child, (uint64_t)ep), 0);
    CHECK_EQ(sys_send(ep, MSGINFO(LABEL_GO, 0), w), 0);
    /* The badge is the faulting task's id: a newer one than ours. */
    struct task_info self;
    long id = -1;
    sys_task_info(&self);
    if (sys_recv(ep, &m) == 0) {
        id = (long)m.badge;
        CHECK(id > (long)self.task_id);
        CHECK_EQ(MSGINFO_LABEL(m.info), FAULT_MSG_LABEL);
        CHECK_EQ(m.w[0], FAULT_READ);
        CHECK_EQ(m.w[1], UNMAPPED);
        /* Skip the load. */
        w[0] = m.w[2] + 4;
        CHECK_EQ(sys_reply(MSGINFO(FAULT_RESUME, 1), w), 0);
    }
    if (expect_fault(ep, id, FAULT_READ, UNMAPPED + 8, &m)) {
        CHECK_EQ(sys_task_map((uint64_t)child, UNMAPPED, PAGE, PROT_READ), (long)UNMAPPED);
        CHECK_EQ(sys_reply(MSGINFO(FAULT_RESUME, 0), w), 0); /* retry it */
    }
    if (expect_fault(ep, id, FAULT_OTHER, 0, &m)) {
        CHECK_EQ(sys_reply(MSGINFO(LABEL_KILL, 0), w), 0);
    }
    CHECK_EQ(sys_task_wait(child), E_DEAD);
    sys_handle_close(child);
    sys_handle_close(ep);
}

/* A handler that ends without answering: the faulting task ends too. */
void test_fault_handler_death_ends_the_faulting_task(void)
{
    long ep = sys_endpoint_create(0);
    long go = sys_endpoint_create(0);
    long handles[1] = {go};
    long ep_handles[1] = {ep};
    uint64_t w[4] = {0};

    CHECK(ep >= 0 && go >= 0);
    long child = usertest_spawn_child("fault-twice", handles, 1);
    long handler = usertest_spawn_child("fault-handler-exit", ep_handles, 1);
    CHECK(child >= 0 && handler >= 0);
    CHECK_EQ(sys_fault_handler((uint64_t)child, (uint64_t)ep), 0);
    CHECK_EQ(sys_send(go, MSGINFO(LABEL_GO, 0), w), 0);
    CHECK_EQ(sys_task_wait(handler), 0);
    CHECK_EQ(sys_task_wait(child), E_DEAD);
    sys_handle_close(handler);
    sys_handle_close(child);
    sys_handle_close(go);
    sys_handle_close(ep);
}

/* The two calls check their handles; a dead task takes neither. */
void test_fault_handler_and_task_map_arguments(void)
{
    long ep = sys_endpoint_create(0);
    long n = sys_notify_create();

    CHECK(ep >= 0 && n >= 0);
    CHECK_EQ(sys_fault_handler(77, (uint64_t)ep), E_BADHANDLE);
    CHECK_EQ(sys_fault_handler(TASK_SELF, 77), E_BADHANDLE);
    CHECK_EQ(sys_fault_handler(TASK_SELF, (uint64_t)n), E_BADHANDLE);     /* not an endpoint */
    CHECK_EQ(sys_fault_handler((uint64_t)ep, (uint64_t)ep), E_BADHANDLE); /* not a task */
    CHECK_EQ(sys_fault_handler(TASK_SELF, (uint64_t)ep), 0);
    CHECK_EQ(sys_fault_handler(TASK_SELF, FAULT_HANDLER_NONE), 0);
    CHECK_EQ(sys_task_map(77, UNMAPPED, PAGE, PROT_READ), E_BADHANDLE);
    CHECK_EQ(sys_task_map(TASK_SELF, UNMAPPED + 3, PAGE, PROT_READ), E_INVAL);
    CHECK_EQ(sys_task_map(TASK_SELF, UNMAPPED, PAGE, PROT_READ), (long)UNMAPPED);
    CHECK_EQ(sys_unmap(UNMAPPED, PAGE), 0);
    /* Into its own memory a task maps as much as SYS_MAP would; into
     * another's, at most TASK_MAP_MAX_SIZE at once. */
    CHECK_EQ(sys_task_map(TASK_SELF, UNMAPPED, 2 * TASK_MAP_MAX_SIZE, PROT_READ), (long)UNMAPPED);
    CHECK_EQ(sys_unmap(UNMAPPED, 2 * TASK_MAP_MAX_SIZE), 0);
    long other = usertest_spawn_child("receive", &ep, 1);
    CHECK(other >= 0);
    CHECK_EQ(sys_task_map((uint64_t)other, UNMAPPED, TASK_MAP_MAX_SIZE + PAGE, PROT_READ), E_RANGE);
    CHECK_EQ(sys_task_map((uint64_t)other, UNMAPPED, TASK_MAP_MAX_SIZE, PROT_READ), (long)UNMAPPED);
    CHECK_EQ(sys_task_kill((uint64_t)other), 0);
    CHECK_EQ(sys_task_wait((uint64_t)other), E_DEAD);
    sys_handle_close(other);

    long child = usertest_spawn_child("fault-handler-exit", &ep, 1);
    CHECK(child >= 0);
    uint64_t w[4] = {0};
    CHECK_EQ(sys_send(ep, MSGINFO(0, 0), w), 0); /* it takes this and ends */
    CHECK_EQ(sys_task_wait(child), 0);
    CHECK_EQ(sys_fault_handler((uint64_t)child, (uint64_t)ep), E_DEAD);
    CHECK_EQ(sys_task_map((uint64_t)child, UNMAPPED, PAGE, PROT_READ), E_DEAD);
    sys_handle_close(child);
    sys_handle_close(n);
    sys_handle_close(ep);
}
