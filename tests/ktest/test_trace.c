/*
 * The trace ring (kernel/trace.c): once full, each new record overwrites
 * the oldest, so the ring always holds the newest ones, oldest first, and
 * counts what it lost. Checked on a ring of its own, in any build.
 */
#include "kernel/trace.h"
#include "lib/ktest.h"

#define TEST_RING_SIZE 8

static struct trace_event test_ring_storage[TEST_RING_SIZE];

/* Writes records numbered first, first + 1, ... (in field a). */
static void put_numbered(struct trace_ring *r, uint32_t first, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        trace_ring_next(r)->a = first + i;
    }
}

/* The ring holds exactly newest - count + 1 .. newest, in order. */
static void expect_newest(struct ktest *t, const struct trace_ring *r, uint32_t newest,
                          uint32_t count)
{
    KTEST_ASSERT_EQ(t, trace_ring_count(r), count);
    for (uint32_t i = 0; i < count; i++) {
        KTEST_EXPECT_EQ(t, trace_ring_at(r, i)->a, newest - count + 1 + i);
    }
}

KTEST(trace, ring_starts_empty)
{
    struct trace_ring r;

    trace_ring_init(&r, test_ring_storage, TEST_RING_SIZE);
    KTEST_EXPECT_EQ(t, trace_ring_count(&r), 0);
    KTEST_EXPECT_EQ(t, trace_ring_dropped(&r), 0);
}

KTEST(trace, ring_keeps_everything_until_full)
{
    struct trace_ring r;

    trace_ring_init(&r, test_ring_storage, TEST_RING_SIZE);
    put_numbered(&r, 1, 5);
    expect_newest(t, &r, 5, 5);
    put_numbered(&r, 6, 3);
    expect_newest(t, &r, 8, TEST_RING_SIZE);
    KTEST_EXPECT_EQ(t, trace_ring_dropped(&r), 0);
}

KTEST(trace, ring_wraps_keeping_the_newest_in_order)
{
    struct trace_ring r;

    trace_ring_init(&r, test_ring_storage, TEST_RING_SIZE);
    put_numbered(&r, 1, 13);
    expect_newest(t, &r, 13, TEST_RING_SIZE);
    KTEST_EXPECT_EQ(t, trace_ring_dropped(&r), 5);
    /* Many times round: still the newest eight, oldest first. */
    put_numbered(&r, 14, 1000);
    expect_newest(t, &r, 1013, TEST_RING_SIZE);
    KTEST_EXPECT_EQ(t, trace_ring_dropped(&r), 1013 - TEST_RING_SIZE);
}

KTEST(trace, ring_of_one_keeps_the_last)
{
    struct trace_ring r;
    struct trace_event one;

    trace_ring_init(&r, &one, 1);
    put_numbered(&r, 1, 3);
    expect_newest(t, &r, 3, 1);
    KTEST_EXPECT_EQ(t, trace_ring_dropped(&r), 2);
}
