/* The sleep queue: deadline order, ties in arrival order, cancel. */
#include "kernel/sleepq.h"
#include "lib/ktest.h"

#define SQ_NODES 32

static struct sleep_node sq_nodes[SQ_NODES];

static int sq_index(struct sleep_node *n)
{
    return n ? (int)(n - sq_nodes) : -1;
}

static void sq_setup(struct sleepq *q)
{
    sleepq_init(q);
    for (int i = 0; i < SQ_NODES; i++) {
        list_init(&sq_nodes[i].link);
    }
}

KTEST(sleepq, ordering_and_ties)
{
    struct sleepq q;
    static const uint64_t deadlines[6] = {300, 100, 200, 100, 300, 50};

    sq_setup(&q);
    KTEST_EXPECT_TRUE(t, sleepq_next_deadline(&q) == SLEEPQ_NONE);
    for (int i = 0; i < 6; i++) {
        sleepq_insert(&q, &sq_nodes[i], deadlines[i]);
    }
    KTEST_EXPECT_EQ(t, sleepq_next_deadline(&q), 50);
    KTEST_EXPECT_EQ(t, sq_index(sleepq_pop_expired(&q, 49)), -1);
    /* Everything due by 300, in deadline order; equal deadlines first come, first served. */
    static const int expected[6] = {5, 1, 3, 2, 0, 4};
    for (int i = 0; i < 6; i++) {
        KTEST_EXPECT_EQ(t, sq_index(sleepq_pop_expired(&q, 300)), expected[i]);
    }
    KTEST_EXPECT_EQ(t, sq_index(sleepq_pop_expired(&q, UINT64_MAX - 1)), -1);
}

KTEST(sleepq, pop_only_what_is_due)
{
    struct sleepq q;

    sq_setup(&q);
    sleepq_insert(&q, &sq_nodes[0], 10);
    sleepq_insert(&q, &sq_nodes[1], 20);
    KTEST_EXPECT_EQ(t, sq_index(sleepq_pop_expired(&q, 15)), 0);
    KTEST_EXPECT_EQ(t, sq_index(sleepq_pop_expired(&q, 15)), -1);
    KTEST_EXPECT_EQ(t, sleepq_next_deadline(&q), 20);
    KTEST_EXPECT_EQ(t, sq_index(sleepq_pop_expired(&q, 20)), 1);
    KTEST_EXPECT_TRUE(t, sleepq_next_deadline(&q) == SLEEPQ_NONE);
}

KTEST(sleepq, cancel)
{
    struct sleepq q;

    sq_setup(&q);
    sleepq_insert(&q, &sq_nodes[0], 10);
    sleepq_insert(&q, &sq_nodes[1], 20);
    sleepq_insert(&q, &sq_nodes[2], 30);
    sleepq_cancel(&sq_nodes[0]);
    sleepq_cancel(&sq_nodes[0]); /* twice is harmless */
    sleepq_cancel(&sq_nodes[3]); /* never queued: harmless */
    KTEST_EXPECT_EQ(t, sleepq_next_deadline(&q), 20);
    sleepq_cancel(&sq_nodes[2]);
    KTEST_EXPECT_EQ(t, sq_index(sleepq_pop_expired(&q, 100)), 1);
    KTEST_EXPECT_EQ(t, sq_index(sleepq_pop_expired(&q, 100)), -1);
}

KTEST(sleepq, random_against_sorted_model)
{
    struct sleepq q;
    uint64_t seed = 0x51ee9;
    static uint64_t deadline[SQ_NODES];
    static int queued[SQ_NODES];
    static unsigned stamp[SQ_NODES];
    unsigned clock = 0;

    sq_setup(&q);
    for (int i = 0; i < SQ_NODES; i++) {
        queued[i] = 0;
    }
    for (int op = 0; op < 3000; op++) {
        int i = (int)(ktest_rand(&seed) % SQ_NODES);
        if (!queued[i] && ktest_rand(&seed) % 2) {
            deadline[i] = ktest_rand(&seed) % 16; /* small range: many ties */
            stamp[i] = clock++;
            sleepq_insert(&q, &sq_nodes[i], deadline[i]);
            queued[i] = 1;
        } else if (queued[i] && ktest_rand(&seed) % 3 == 0) {
            sleepq_cancel(&sq_nodes[i]);
            queued[i] = 0;
        } else {
            /* The model's choice: the smallest deadline, then the earliest insert. */
            int best = -1;
            for (int k = 0; k < SQ_NODES; k++) {
                if (queued[k] && (best < 0 || deadline[k] < deadline[best] ||
                                  (deadline[k] == deadline[best] && stamp[k] < stamp[best]))) {
                    best = k;
                }
            }
            uint64_t now = ktest_rand(&seed) % 16;
            int want = best >= 0 && deadline[best] <= now ? best : -1;
            int got = sq_index(sleepq_pop_expired(&q, now));
            if (!KTEST_EXPECT_EQ(t, got, want)) {
                return;
            }
            if (got >= 0) {
                queued[got] = 0;
            }
        }
    }
}
