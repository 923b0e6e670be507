/*
 * Benchmarks of scheduling, kernel-thread IPC and interrupts.
 *
 *   sched  the scheduler's pick: runqueue_push_back + runqueue_pop on the
 *          pure run queue (kernel/runqueue.c) holding 1, 10, 100 and 1000
 *          ready nodes. O(1): the figures must not grow.
 *   kipc   ipc_call + ipc_reply_recv round trip between two kernel threads
 *          (we have no system call that creates a second thread in a task,
 *          so this stands in for "two threads of one task": no address
 *          space switch either way). With 0, 1, 10 and 50 more ready threads
 *          at a lower priority: CONFIG_MAX_THREADS is 64, so 50 is as far
 *          as real threads go; the pure run queue above goes to 1000.
 *   irq    interrupt entry to exit, taken in the kernel: the timer (armed
 *          in the past, so the scheduler's tick handler runs), and a
 *          software-raised SPI with an empty handler.
 */
#include "hal/irq.h"
#include "hal/timer.h"
#include "kernel/bench.h"
#include "kernel/ipc.h"
#include "kernel/irq.h"
#include "kernel/panic.h"
#include "kernel/runqueue.h"
#include "kernel/thread.h"
#include "lib/printf.h"

/* ---- the run queue ---- */

#define RQ_MAX_NODES 1000

struct rq_ctx {
    struct runqueue rq;
    struct rq_node nodes[RQ_MAX_NODES + 1];
    struct rq_node *spare; /* the node out of the queue, pushed next */
};

static struct rq_ctx rq_bench;

/* Push one node, pick the next: the queue keeps its size. */
static void rq_op(void *ctx)
{
    struct rq_ctx *c = ctx;

    runqueue_push_back(&c->rq, c->spare);
    c->spare = runqueue_pop(&c->rq);
}

static void bench_runqueue(void)
{
    static const unsigned sizes[] = {1, 10, 100, 1000};
    struct rq_ctx *c = &rq_bench;
    uint64_t n = bench_settings()->iterations;
    char name[40];
    char what[88];

    for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        runqueue_init(&c->rq);
        for (unsigned i = 0; i <= sizes[s]; i++) {
            list_init(&c->nodes[i].link);
            /* Spread over every priority, as a busy system would be. */
            c->nodes[i].priority = (i * 7) % CONFIG_PRIORITIES;
        }
        for (unsigned i = 0; i < sizes[s]; i++) {
            runqueue_push_back(&c->rq, &c->nodes[i]);
        }
        c->spare = &c->nodes[sizes[s]];
        uint64_t cost = bench_net(rq_op, NULL, c, n);
        ksnprintf(name, sizeof(name), "sched.pick.%u", sizes[s]);
        ksnprintf(what, sizeof(what), "run queue push + pop (the pick), %u ready", sizes[s]);
        bench_record(name, what, cost, n);
    }
}

/* ---- IPC between two kernel threads ---- */

enum { LABEL_ECHO = 1, LABEL_QUIT = 2 };

#define FILLER_PRIORITY  1
#define KIPC_MAX_FILLERS 50

struct kipc_ctx {
    struct endpoint *ep;
    struct ipc_msg msg;
    struct ipc_msg reply;
};

static struct kipc_ctx kipc;
static volatile bool fillers_stop;

/* Answers every call with the message it got, until LABEL_QUIT. */
static void kipc_server(void *arg)
{
    struct kipc_ctx *c = arg;
    struct ipc_msg msg;
    int err = ipc_recv(c->ep, &msg);

    while (err == 0 && msg.label == LABEL_ECHO) {
        err = ipc_reply_recv(c->ep, &msg, &msg);
    }
    if (err == 0) {
        ipc_reply(&msg);
    }
}

/* Ready, and never chosen while the benchmark's threads can run. */
static void filler_main(void *arg)
{
    (void)arg;
    while (!fillers_stop) {
        thread_yield();
    }
}

static void kipc_op(void *ctx)
{
    struct kipc_ctx *c = ctx;

    KASSERT(ipc_call(c->ep, &c->msg, &c->reply) == 0);
}

static void kipc_measure(unsigned words, unsigned ready)
{
    uint64_t n = bench_settings()->iterations;
    char name[40];
    char what[88];

    kipc.msg.label = LABEL_ECHO;
    kipc.msg.length = words;
    for (unsigned i = 0; i < words; i++) {
        kipc.msg.words[i] = i;
    }
    uint64_t cost = bench_net(kipc_op, NULL, &kipc, n);
    if (ready) {
        ksnprintf(name, sizeof(name), "kipc.rt.w%u.ready%u", words, ready);
        ksnprintf(what, sizeof(what), "IPC round trip, 2 kernel threads, %u words, %u more ready",
                  words, ready);
    } else {
        ksnprintf(name, sizeof(name), "kipc.rt.w%u", words);
        ksnprintf(what, sizeof(what),
                  "IPC call + reply_recv round trip, 2 kernel threads, %u words", words);
    }
    bench_record(name, what, cost, n);
}

static void bench_kernel_ipc(void)
{
    static const unsigned fills[] = {1, 10, 50};
    uint32_t filler_ids[KIPC_MAX_FILLERS];
    unsigned fillers = 0;

    KASSERT(endpoint_create(0, &kipc.ep) == 0);
    struct thread *server = thread_create("kipc-srv", CONFIG_DEFAULT_PRIORITY, kipc_server, &kipc);
    KASSERT(server != NULL);
    uint32_t server_id = server->id;

    kipc_measure(0, 0);
    kipc_measure(4, 0);
    kipc_measure(IPC_MAX_WORDS, 0);
    fillers_stop = false;
    for (unsigned f = 0; f < sizeof(fills) / sizeof(fills[0]); f++) {
        for (; fillers < fills[f]; fillers++) {
            struct thread *t = thread_create("filler", FILLER_PRIORITY, filler_main, NULL);
            if (!t) {
                bench_skip("kipc.rt.w4.ready", "out of thread slots");
                break;
            }
            filler_ids[fillers] = t->id;
        }
        if (fillers == fills[f]) {
            kipc_measure(4, fills[f]);
        }
    }

    kipc.msg.label = LABEL_QUIT;
    kipc.msg.length = 0;
    KASSERT(ipc_call(kipc.ep, &kipc.msg, &kipc.reply) == 0);
    thread_join(server_id);
    fillers_stop = true;
    for (unsigned i = 0; i < fillers; i++) {
        thread_join(filler_ids[i]);
    }
    endpoint_destroy(kipc.ep);
}

/* ---- interrupts ---- */

/* An SPI that nothing on QEMU virt uses (virtio-mmio ends at INTID 79, the
 * platform bus starts at 112), and a second one for the baseline. */
#define BENCH_SPI      90
#define BENCH_SPI_IDLE 91

struct irq_ctx {
    uint64_t far_future_ns;
};

/* Each operation starts and ends with interrupts masked; hal_irq_window lets a
 * pending interrupt in, and the mask goes back on right after it returns. */
static void timer_fire_op(void *ctx)
{
    (void)ctx;
    hal_timer_set_deadline(0); /* in the past: the timer interrupt is raised at once */
    hal_irq_window();
}

static void timer_quiet_op(void *ctx)
{
    struct irq_ctx *c = ctx;

    hal_timer_set_deadline(c->far_future_ns); /* the same code; nothing fires */
    hal_irq_window();
}

static void spi_fire_op(void *ctx)
{
    (void)ctx;
    hal_irq_raise(BENCH_SPI);
    hal_irq_window();
}

static void spi_quiet_op(void *ctx)
{
    (void)ctx;
    hal_irq_raise(BENCH_SPI_IDLE); /* disabled: it stays pending, nothing fires */
    hal_irq_window();
}

static void spi_handler(uint32_t irq, void *ctx)
{
    (void)irq;
    (void)ctx;
}

static void bench_irq(void)
{
    uint64_t n = bench_settings()->iterations;
    struct irq_ctx c = {.far_future_ns = hal_timer_now_ns() + 1000000000ULL};
    unsigned long flags = hal_irq_save();

    uint64_t cost = bench_net(timer_fire_op, timer_quiet_op, &c, n);
    timer_fire_op(&c); /* the scheduler's handler re-arms its own deadline */
    bench_record("irq.timer", "timer IRQ entry to exit (kernel; the scheduler's tick handler)",
                 cost, n);

    uint64_t fired = irq_count(BENCH_SPI);
    hal_irq_set_trigger(BENCH_SPI, IRQ_TRIGGER_EDGE);
    hal_irq_set_trigger(BENCH_SPI_IDLE, IRQ_TRIGGER_EDGE);
    KASSERT(irq_register(BENCH_SPI, spi_handler, NULL) == 0);
    cost = bench_net(spi_fire_op, spi_quiet_op, NULL, n);
    fired = irq_count(BENCH_SPI) - fired;
    irq_unregister(BENCH_SPI);
    /* The idle SPI is still pending: take it once, with a handler, and forget it. */
    KASSERT(irq_register(BENCH_SPI_IDLE, spi_handler, NULL) == 0);
    hal_irq_window();
    irq_unregister(BENCH_SPI_IDLE);
    hal_irq_restore(flags);
    if (fired < n) {
        bench_skip("irq.spi", "the raised interrupt did not arrive every time");
        return;
    }
    bench_record("irq.spi", "IRQ entry to exit, software-raised SPI, empty handler (kernel)", cost,
                 n);
}

void bench_sched_run(void)
{
    if (bench_group_enabled("sched")) {
        bench_runqueue();
    }
    if (bench_group_enabled("kipc")) {
        bench_kernel_ipc();
    }
    if (bench_group_enabled("irq")) {
        bench_irq();
    }
}
