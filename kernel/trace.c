/*
 * Tracing (include/kernel/trace.h): the ring buffers the hooks write into,
 * the table of thread names, and the dump that scripts/trace.py reads.
 *
 * Recording is cheap on purpose: read the counter, claim the next slot,
 * fill in its 32 bytes. Nothing is formatted until the dump, at the end of
 * the demo, which prints one line per record:
 *
 *   trace: begin cpus 1 hz 62500000
 *   trace: thread 4 spinner A          one per thread named, id then name
 *   trace: cpu 0 events 812 dropped 0
 *   trace: 0 1047711 switch sched 3 3 4 0
 *          cpu, time (counter ticks), type, kind, thread running, a, b, c
 *   trace: end
 *
 * In the default build (CONFIG_TRACE=0) no hook calls in here, and the
 * storage shrinks to one record: the code is compiled and linked, so it
 * cannot rot, but it costs the kernel nothing at run time.
 */
#include "kernel/trace.h"

#include "hal/timer.h"
#include "kernel/ipc.h"
#include "kernel/klock.h"
#include "kernel/thread.h"
#include "lib/printf.h"
#include "lib/string.h"

#define TRACE_STORAGE_EVENTS (CONFIG_TRACE ? TRACE_RING_EVENTS : 1)
/* Names kept, by id modulo this: a thread whose slot was taken by a newer
 * one is drawn as "thread N". */
#define TRACE_NAMES          (CONFIG_TRACE ? 256 : 1)

_Static_assert((TRACE_RING_EVENTS & (TRACE_RING_EVENTS - 1)) == 0, "a power of two");
_Static_assert(sizeof(struct trace_event) == 32, "a record is four words");

struct trace_name {
    uint32_t id; /* 0: unused */
    char name[sizeof(((struct thread *)0)->name)];
};

static struct trace_event trace_storage[TRACE_CPUS][TRACE_STORAGE_EVENTS];
static struct trace_ring trace_rings[TRACE_CPUS];
static struct trace_name trace_names[TRACE_NAMES];
static bool trace_stopped; /* set by the dump: the rings hold still while printed */

/* ---- the ring, on its own ---- */

void trace_ring_init(struct trace_ring *r, struct trace_event *storage, uint32_t size)
{
    r->events = storage;
    r->size = size;
    r->written = 0;
}

struct trace_event *trace_ring_next(struct trace_ring *r)
{
    return &r->events[r->written++ & (r->size - 1)];
}

uint32_t trace_ring_count(const struct trace_ring *r)
{
    return r->written < r->size ? (uint32_t)r->written : r->size;
}

uint64_t trace_ring_dropped(const struct trace_ring *r)
{
    return r->written - trace_ring_count(r);
}

const struct trace_event *trace_ring_at(const struct trace_ring *r, uint32_t i)
{
    uint64_t oldest = r->written - trace_ring_count(r);

    return &r->events[(oldest + i) & (r->size - 1)];
}

/* ---- recording ---- */

/* This CPU's ring: ring 0, on the one CPU that runs the kernel today. */
static struct trace_ring *trace_ring_this_cpu(void)
{
    struct trace_ring *r = &trace_rings[0];

    if (!r->events) {
        trace_ring_init(r, trace_storage[0], TRACE_STORAGE_EVENTS);
    }
    return r;
}

static void trace_put(unsigned type, unsigned kind, uint32_t thread, uint32_t a, uint32_t b,
                      uint32_t c)
{
    if (trace_stopped) {
        return;
    }
    struct trace_event *e = trace_ring_next(trace_ring_this_cpu());

    e->time = hal_timer_counter();
    e->type = (uint16_t)type;
    e->kind = (uint16_t)kind;
    e->thread = thread;
    e->a = a;
    e->b = b;
    e->c = c;
    e->unused = 0;
}

void trace_log(unsigned type, unsigned kind, uint32_t a, uint32_t b, uint32_t c)
{
    const struct thread *self = thread_current();

    trace_put(type, kind, self ? self->id : 0, a, b, c);
}

/* Recorded as prev's: the scheduler has made next current by now, the fast
 * path not yet. */
void trace_log_switch(const struct thread *prev, const struct thread *next, unsigned how)
{
    trace_put(TRACE_SWITCH, how, prev->id, prev->id, next->id, 0);
}

void trace_log_ipc(unsigned type, unsigned kind, const struct thread *from, const struct thread *to,
                   const struct endpoint *ep)
{
    trace_log(type, kind, from ? from->id : 0, to ? to->id : 0, ep ? endpoint_slot(ep) + 1 : 0);
}

void trace_log_thread_name(const struct thread *t)
{
    struct trace_name *n = &trace_names[t->id % TRACE_NAMES];

    n->id = t->id;
    strlcpy(n->name, t->name, sizeof(n->name));
}

/* ---- the dump ---- */

static const char *trace_type_name(unsigned type)
{
    static const char *const names[TRACE_TYPES] = {
        [TRACE_SWITCH] = "switch",         [TRACE_IPC_SEND] = "send",
        [TRACE_IPC_RECV] = "recv",         [TRACE_IRQ] = "irq",
        [TRACE_SYSCALL_ENTER] = "syscall", [TRACE_SYSCALL_EXIT] = "sysret",
        [TRACE_USER_FAULT] = "fault",
    };
    return type < TRACE_TYPES && names[type] ? names[type] : "?";
}

static const char *trace_kind_name(const struct trace_event *e)
{
    static const char *const ipc[] = {"send", "call", "reply"};

    if (e->type == TRACE_SWITCH) {
        return e->kind == TRACE_SWITCH_HANDOFF ? "handoff" : "sched";
    }
    if (e->type == TRACE_IPC_SEND || e->type == TRACE_IPC_RECV) {
        return e->kind < 3 ? ipc[e->kind] : "?";
    }
    return "-";
}

void trace_dump(void)
{
    unsigned long flags = klock_acquire();

    trace_stopped = true;
    klock_release(flags);
    kprintf("trace: begin cpus %u hz %llu\n", (unsigned)TRACE_CPUS,
            (unsigned long long)hal_timer_frequency());
    for (unsigned i = 0; i < TRACE_NAMES; i++) {
        if (trace_names[i].id) {
            kprintf("trace: thread %u %s\n", trace_names[i].id, trace_names[i].name);
        }
    }
    for (unsigned cpu = 0; cpu < TRACE_CPUS; cpu++) {
        const struct trace_ring *r = &trace_rings[cpu];
        uint32_t count = r->events ? trace_ring_count(r) : 0;
        kprintf("trace: cpu %u events %u dropped %llu\n", cpu, count,
                (unsigned long long)(r->events ? trace_ring_dropped(r) : 0));
        for (uint32_t i = 0; i < count; i++) {
            const struct trace_event *e = trace_ring_at(r, i);
            kprintf("trace: %u %llu %s %s %u %u %u %u\n", cpu, (unsigned long long)e->time,
                    trace_type_name(e->type), trace_kind_name(e), e->thread, e->a, e->b, e->c);
        }
    }
    kprintf("trace: end\n");
}
