/* usertest: what belongs to the kernel stays the kernel's (see usertest.h). */
#include "usertest.h"

/* The console UART's interrupt on QEMU virt (SPI 1): the kernel keeps it. */
#define CONSOLE_IRQ 33

static char buffer_stack[4096] __attribute__((aligned(16)));
static volatile uint64_t worker_buffer;
static volatile int worker_done;

static void note_my_buffer(void *arg)
{
    (void)arg;
    ipc_buffer()[0] = 0x5eed;
    worker_buffer = (uint64_t)(uintptr_t)ipc_buffer();
    worker_done = 1;
}

/*
 * The IPC buffer area holds the kernel's pages, one per thread: a task may
 * not map there (not even where no thread has a buffer yet), nor unmap a
 * buffer. Otherwise it could free a page the kernel still writes, get it
 * back as one of its own page tables, and write its own translations.
 */
void test_ipc_buffer_area_is_the_kernels(void)
{
    uint64_t mine = (uint64_t)(uintptr_t)ipc_buffer();

    for (unsigned k = 0; k < TASK_MAX_THREADS; k++) {
        CHECK_EQ(sys_map(IPC_BUFFER_VA + k * PAGE, PAGE, PROT_READ | PROT_WRITE), E_INVAL);
    }
    CHECK_EQ(sys_map(IPC_BUFFER_VA - PAGE, 2 * PAGE, PROT_READ | PROT_WRITE), E_INVAL);
    CHECK_EQ(sys_map(IPC_BUFFER_VA + (TASK_MAX_THREADS - 1) * PAGE, 2 * PAGE, PROT_READ), E_INVAL);
    CHECK_EQ(sys_unmap(mine, PAGE), E_INVAL);

    /* A new thread gets a fresh page the kernel mapped, which it cannot unmap either. */
    worker_done = 0;
    CHECK(thread_create(note_my_buffer, NULL, buffer_stack, sizeof(buffer_stack)) > 0);
    while (!worker_done) {
        sys_yield();
    }
    CHECK(worker_buffer >= IPC_BUFFER_VA && worker_buffer != mine);
    CHECK_EQ(sys_unmap(worker_buffer, PAGE), E_INVAL);
    for (int i = 0; i < 20; i++) {
        sys_yield(); /* the worker ends, and its buffer page goes with it */
    }
}

/* child:irq: an interrupt delivered as a notification, as a user-mode
 * driver gets it, with the interrupt-control right at handle 0. No device
 * raises INTID 100 on QEMU virt, so the test makes it pending itself. The
 * binding, and the notification it holds, go when this task ends. */
int child_irq(void)
{
    const long irq_control = 0;
    const uint32_t irq = 100;
    long n = sys_notify_create();

    CHECK(n > 0);
    CHECK_EQ(sys_irq_bind(irq_control, 27, n, 3), E_INVAL);         /* a PPI: the kernel's kind */
    CHECK_EQ(sys_irq_bind(irq_control, 5000, n, 3), E_INVAL);       /* no such line */
    CHECK_EQ(sys_irq_bind(irq_control, CONSOLE_IRQ, n, 3), E_PERM); /* the kernel's console */
    CHECK_EQ(sys_irq_bind(n, irq, n, 3), E_BADHANDLE);              /* a notification is no right */
    CHECK_EQ(sys_irq_bind(irq_control, irq, 99, 3), E_BADHANDLE);
    CHECK_EQ(sys_irq_trigger(irq_control, irq), E_PERM); /* not bound yet */
    CHECK_EQ(sys_irq_bind(irq_control, irq, n, 3), 0);
    CHECK_EQ(sys_irq_bind(irq_control, irq, n, 3), E_BUSY);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(sys_irq_trigger(irq_control, irq), 0);
        CHECK_EQ(sys_wait(n), 1 << 3);
        CHECK_EQ(sys_irq_ack(irq_control, irq), 0);
    }
    CHECK_EQ(sys_irq_ack(irq_control, irq + 1), E_PERM);
    sys_handle_close(n); /* the binding keeps it alive until this task ends */
    return utest_case_failed;
}

void test_irq_to_notification(void)
{
    const long irq_control = 0; /* init passed it to us at handle 0 */
    long child = usertest_spawn_child("irq", &irq_control, 1);

    CHECK(child >= 0);
    CHECK_EQ(sys_task_wait(child), 0);
    CHECK_EQ(sys_handle_close(child), 0);
    /* The line is free again: a second task can bind it. */
    child = usertest_spawn_child("irq", &irq_control, 1);
    CHECK_EQ(sys_task_wait(child), 0);
    CHECK_EQ(sys_handle_close(child), 0);
}

/* ---- TPIDR_EL0: the one register user mode may write as it likes ---- */

static inline uint64_t tls_read(void)
{
    uint64_t value;

    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(value));
    return value;
}

static inline void tls_write(uint64_t value)
{
    __asm__ volatile("msr tpidr_el0, %0" ::"r"(value));
}

enum { TLS_QUIT = 99 };
static long tls_ep;
static char tls_stack[8192] __attribute__((aligned(16)));

/* A second thread of this task: it answers each call with what its TLS
 * register held when the call came, then sets it to the call's word 0. */
static void tls_server(void *arg)
{
    uint64_t w[4] = {0};
    struct umsg m;

    (void)arg;
    long err = sys_recv(tls_ep, &m);
    while (err == 0 && MSGINFO_LABEL(m.info) != TLS_QUIT) {
        w[0] = tls_read();
        tls_write(m.w[0]);
        err = sys_reply_recv(tls_ep, MSGINFO(1, 1), w, &m);
    }
    sys_reply(MSGINFO(TLS_QUIT, 0), w);
}

/* Calls the server on ep a few times, our register and its changing
 * between: each thread must find only what it wrote itself. */
static void tls_round(long ep, const char *path)
{
    struct umsg reply;
    uint64_t theirs = 0; /* a new thread's register starts at zero */

    tls_ep = ep;
    CHECK(thread_create(tls_server, NULL, tls_stack, sizeof(tls_stack)) > 0);
    sys_yield(); /* let it reach its receive */
    for (uint64_t round = 1; round <= 4; round++) {
        uint64_t mine = 0x7150000000000000ull + round;
        uint64_t w[4] = {0x5e40000000000000ull + round, 0, 0, 0};
        tls_write(mine);
        CHECK_EQ(sys_call(ep, MSGINFO(1, 1), w, &reply), 0);
        if (reply.w[0] != theirs || tls_read() != mine) {
            printf("    # %s, round %llu: the server saw 0x%llx, we see 0x%llx\n", path,
                   (unsigned long long)round, (unsigned long long)reply.w[0],
                   (unsigned long long)tls_read());
        }
        CHECK_EQ(reply.w[0], theirs);
        CHECK_EQ(tls_read(), mine);
        theirs = w[0];
    }
    sys_call(ep, MSGINFO(TLS_QUIT, 0), NULL, &reply);
    for (int i = 0; i < 50; i++) {
        sys_yield(); /* let the server thread end */
    }
}

/* child:tls: starts with a register of zero, sets its own, and finds it
 * kept through many switches (to its parent among others). */
int child_tls(void)
{
    if (tls_read() != 0) {
        return 1;
    }
    tls_write(0xc41d);
    for (int i = 0; i < 200; i++) {
        sys_yield();
        if (tls_read() != 0xc41d) {
            return 2;
        }
    }
    return 0;
}

/*
 * TPIDR_EL0 is meant for a thread's thread-local storage, and user mode
 * reads and writes it without the kernel's leave. There is one per CPU, so
 * the kernel saves and loads it with the thread on every switch: on the
 * fast path, on the slow path, and between tasks. Left alone, it would
 * carry one thread's value to the next: between tasks, a channel no
 * capability allows.
 */
void test_tls_register_is_each_threads_own(void)
{
    long rendezvous = sys_endpoint_create(0);
    long mailbox = sys_endpoint_create(1);
    uint64_t before = fastpath_count();

    CHECK(rendezvous >= 0 && mailbox >= 0);
    tls_round(rendezvous, "fast path");
    CHECK(fastpath_count() - before >= 4);
    tls_round(mailbox, "slow path");

    tls_write(0xbad0bad0);
    long child = usertest_spawn_child("tls", NULL, 0);
    CHECK(child >= 0);
    for (int i = 0; i < 100; i++) {
        sys_yield();
        CHECK_EQ(tls_read(), 0xbad0bad0);
    }
    CHECK_EQ(sys_task_wait(child), 0);
    CHECK_EQ(sys_handle_close(child), 0);
    CHECK_EQ(tls_read(), 0xbad0bad0);
    tls_write(0);
    sys_handle_close(rendezvous);
    sys_handle_close(mailbox);
}

/* ---- more address spaces than ASIDs ---- */

#define APART_VA       0x30000000UL
#define APART_CHILDREN 12
#define APART_ROUNDS   60

/* child:apart: maps a page at APART_VA, the same address in every child,
 * writes its own task id there, and reads it back after each of many
 * yields, each a switch to another address space. 0 if it always found
 * its own, 1 if not, 2 if the map failed. */
int child_apart(void)
{
    struct task_info info;

    if (sys_task_info(&info) != 0 || sys_map(APART_VA, PAGE, PROT_READ | PROT_WRITE) < 0) {
        return 2;
    }
    volatile uint64_t *mine = (volatile uint64_t *)APART_VA;
    for (unsigned i = 0; i < PAGE / 8; i++) {
        mine[i] = info.task_id * 1000 + i;
    }
    for (int round = 0; round < APART_ROUNDS; round++) {
        sys_yield();
        for (unsigned i = 0; i < PAGE / 8; i += 97) {
            if (mine[i] != info.task_id * 1000 + i) {
                return 1;
            }
        }
    }
    return 0;
}

/*
 * Twelve tasks alive at once, each with a page at the same address, each
 * switched to and from many times: each sees only its own. With the CPU's
 * 16-bit ASIDs that is every ASID different; booted with asid_bits=2 (three
 * ASIDs for fourteen tasks) it is the generations of kernel/vspace_asid.c
 * at work, and the case checks that rollovers did happen there.
 */
void test_more_address_spaces_than_asids(void)
{
    struct kernel_counts before, after;
    long children[APART_CHILDREN];

    CHECK_EQ(sys_kernel_counts(&before), 0);
    for (int i = 0; i < APART_CHILDREN; i++) {
        children[i] = usertest_spawn_child("apart", NULL, 0);
        CHECK(children[i] >= 0);
    }
    for (int i = 0; i < APART_CHILDREN; i++) {
        if (children[i] >= 0) {
            CHECK_EQ(sys_task_wait(children[i]), 0);
            sys_handle_close(children[i]);
        }
    }
    CHECK_EQ(sys_kernel_counts(&after), 0);
    /* init, usertest and the children, alive together */
    uint64_t alive = 2 + APART_CHILDREN;
    uint64_t asids = (1ULL << after.asid_bits) - 1;
    printf("    # %llu-bit ASIDs, %llu rollovers during the case\n",
           (unsigned long long)after.asid_bits,
           (unsigned long long)(after.asid_rollovers - before.asid_rollovers));
    if (alive > asids) {
        CHECK(after.asid_rollovers > before.asid_rollovers);
    } else {
        CHECK_EQ(after.asid_rollovers, before.asid_rollovers);
    }
}
