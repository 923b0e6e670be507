/*
 * fault: commits one kind of fault, named by its argument, so the kernel
 * must kill it. Each kind reaches the kernel by a different road.
 *
 * (A misaligned stack pointer would be one more, on hardware: SCTLR_EL1.SA0
 * is set. QEMU does not model that check, so there is no "sp-align" kind.)
 */
#include "ulib.h"

/* Not "static": a global the compiler cannot prove constant. */
volatile int recurse_forever = 1;

static int recurse(int depth)
{
    volatile char pad[512];

    pad[0] = (char)depth;
    if (!recurse_forever) {
        return pad[0];
    }
    return recurse(depth + 1) + pad[0];
}

/* The faulting addresses go through a volatile, so the compiler cannot see
 * the bad pointer and refuse to compile it. */
static volatile uintptr_t low_address = 8;

static void wait_forever(void *notification)
{
    sys_wait((long)notification);
}

static int is(const char *arg, size_t len, const char *word)
{
    return len == strlen(word) && memcmp(arg, word, len) == 0;
}

int main(const char *arg, size_t arg_len)
{
    if (!is(arg, arg_len, "ok")) {
        printf("fault: committing '%.*s'\n", (int)arg_len, arg);
    }
    if (is(arg, arg_len, "null")) {
        *(volatile uint64_t *)low_address = 1; /* data abort, translation fault */
    } else if (is(arg, arg_len, "exec")) {
        void (*fn)(void) = (void (*)(void))(uintptr_t)USER_MAP_BASE;
        fn(); /* instruction abort: nothing mapped there */
    } else if (is(arg, arg_len, "undef")) {
        __asm__ volatile("udf #1"); /* undefined instruction */
    } else if (is(arg, arg_len, "priv")) {
        __asm__ volatile("msr daifset, #2"); /* privileged: masking interrupts */
    } else if (is(arg, arg_len, "pc-align")) {
        void (*fn)(void) = (void (*)(void))(uintptr_t)(0x400000 + 2);
        fn(); /* a branch to a misaligned PC */
    } else if (is(arg, arg_len, "brk")) {
        __asm__ volatile("brk #0x42"); /* a breakpoint with no debugger to take it */
    } else if (is(arg, arg_len, "stack")) {
        return recurse(0); /* runs into the guard page below the stack */
    } else if (is(arg, arg_len, "ok")) {
        return 0; /* no fault at all: spawn/exit cycles use this */
    } else if (is(arg, arg_len, "server")) {
        struct umsg msg;
        sys_recv(0, &msg); /* take a call on handle 0, then die holding the reply */
        *(volatile uint64_t *)low_address = 1;
    } else if (is(arg, arg_len, "thread")) {
        /* A second thread waits forever; the first faults: both must go. */
        static char stack[4096] __attribute__((aligned(16)));
        long n = sys_notify_create();
        thread_create(wait_forever, (void *)n, stack, sizeof(stack));
        sys_yield();
        *(volatile uint64_t *)low_address = 1;
    } else if (is(arg, arg_len, "kernel")) {
        *(volatile uint64_t *)0xffff000040200000ULL = 1; /* writing the kernel */
    } else {
        printf("fault: unknown kind\n");
        return 2;
    }
    printf("fault: still alive -- the fault did not happen\n");
    return 3;
}
