/* The O(1) run queue against a simple reference model, with seeded random operations. */
#include "kernel/runqueue.h"
#include "lib/ktest.h"

#define RQ_TEST_NODES 48
#define RQ_TEST_OPS   4000

/* The model: per priority, an array in FIFO order. */
struct rq_model {
    int queue[CONFIG_PRIORITIES][RQ_TEST_NODES];
    int length[CONFIG_PRIORITIES];
};

static struct rq_node rq_test_nodes[RQ_TEST_NODES];
static struct rq_model rq_model;
static int rq_node_queued[RQ_TEST_NODES];

static int node_index(struct rq_node *node)
{
    return (int)(node - rq_test_nodes);
}

static void model_insert(int i, int front)
{
    unsigned p = rq_test_nodes[i].priority;
    int *q = rq_model.queue[p];

    if (front) {
        for (int k = rq_model.length[p]; k > 0; k--) {
            q[k] = q[k - 1];
        }
        q[0] = i;
    } else {
        q[rq_model.length[p]] = i;
    }
    rq_model.length[p]++;
}

static void model_remove(int i)
{
    unsigned p = rq_test_nodes[i].priority;
    int *q = rq_model.queue[p];
    int k = 0;

    while (q[k] != i) {
        k++;
    }
    for (; k < rq_model.length[p] - 1; k++) {
        q[k] = q[k + 1];
    }
    rq_model.length[p]--;
}

static int model_top(void)
{
    for (int p = CONFIG_PRIORITIES - 1; p >= 0; p--) {
        if (rq_model.length[p]) {
            return p;
        }
    }
    return -1;
}

/* The bitmap, the length and the head of every queue agree with the model. */
static int rq_consistent(struct ktest *t, const struct runqueue *rq)
{
    for (unsigned p = 0; p < CONFIG_PRIORITIES; p++) {
        int bit = (rq->ready_bitmap >> p) & 1;
        int length = 0;
        const struct list_node *node;
        LIST_FOR_EACH(node, &rq->queues[p])
        {
            length++;
        }
        if (!KTEST_EXPECT_EQ(t, bit, rq_model.length[p] != 0) ||
            !KTEST_EXPECT_EQ(t, length, rq_model.length[p])) {
            return 0;
        }
    }
    if (!KTEST_EXPECT_EQ(t, runqueue_top_priority(rq), model_top())) {
        return 0;
    }
    struct rq_node *head = runqueue_peek(rq);
    int top = model_top();
    return KTEST_EXPECT_EQ(t, head ? node_index(head) : -1, top < 0 ? -1 : rq_model.queue[top][0]);
}

KTEST(runqueue, empty)
{
    struct runqueue rq;

    runqueue_init(&rq);
    KTEST_EXPECT_EQ(t, runqueue_top_priority(&rq), -1);
    KTEST_EXPECT_TRUE(t, runqueue_peek(&rq) == NULL);
    KTEST_EXPECT_TRUE(t, runqueue_pop(&rq) == NULL);
    KTEST_EXPECT_EQ(t, rq.ready_bitmap, 0);
}

KTEST(runqueue, fifo_within_priority_and_highest_first)
{
    struct runqueue rq;
    struct rq_node a = {.priority = 3}, b = {.priority = 7}, c = {.priority = 3},
                   d = {.priority = 7};

    runqueue_init(&rq);
    list_init(&a.link);
    list_init(&b.link);
    list_init(&c.link);
    list_init(&d.link);
    runqueue_push_back(&rq, &a);
    runqueue_push_back(&rq, &b);
    runqueue_push_back(&rq, &c);
    runqueue_push_front(&rq, &d);
    KTEST_EXPECT_TRUE(t, runqueue_pop(&rq) == &d);
    KTEST_EXPECT_TRUE(t, runqueue_pop(&rq) == &b);
    KTEST_EXPECT_TRUE(t, runqueue_pop(&rq) == &a);
    KTEST_EXPECT_TRUE(t, runqueue_pop(&rq) == &c);
    KTEST_EXPECT_TRUE(t, runqueue_pop(&rq) == NULL);
}

KTEST(runqueue, random_operations_match_model)
{
    static struct runqueue rq;
    uint64_t seed = 0x5eed0001;

    runqueue_init(&rq);
    for (int p = 0; p < CONFIG_PRIORITIES; p++) {
        rq_model.length[p] = 0;
    }
    for (int i = 0; i < RQ_TEST_NODES; i++) {
        rq_test_nodes[i].priority = (unsigned)(ktest_rand(&seed) % CONFIG_PRIORITIES);
        list_init(&rq_test_nodes[i].link);
        rq_node_queued[i] = 0;
    }
    for (int op = 0; op < RQ_TEST_OPS; op++) {
        int i = (int)(ktest_rand(&seed) % RQ_TEST_NODES);
        unsigned choice = (unsigned)(ktest_rand(&seed) % 4);
        if (!rq_node_queued[i] && choice < 2) {
            if (choice == 0) {
                runqueue_push_back(&rq, &rq_test_nodes[i]);
            } else {
                runqueue_push_front(&rq, &rq_test_nodes[i]);
            }
            model_insert(i, choice == 1);
            rq_node_queued[i] = 1;
        } else if (rq_node_queued[i] && choice == 2) {
            runqueue_remove(&rq, &rq_test_nodes[i]);
            model_remove(i);
            rq_node_queued[i] = 0;
        } else if (choice == 3) {
            int top = model_top();
            struct rq_node *node = runqueue_pop(&rq);
            if (!KTEST_EXPECT_EQ(t, node ? node_index(node) : -1,
                                 top < 0 ? -1 : rq_model.queue[top][0])) {
                return;
            }
            if (node) {
                model_remove(node_index(node));
                rq_node_queued[node_index(node)] = 0;
            }
        }
        if (!rq_consistent(t, &rq)) {
            ktest_fail(t, __FILE__, __LINE__, "inconsistent after operation %d", op);
            return;
        }
    }
}
