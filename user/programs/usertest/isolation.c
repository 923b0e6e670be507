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
