/*
 * Demo "ipc-stress": many producers, a few consumers, one small mailbox,
 * and a lot of messages. Every message carries its producer, its sequence
 * number, a payload and a checksum; the consumers check each one, and at
 * the end every (producer, sequence) pair must have arrived exactly once.
 *
 *   make run DEMO=ipc-stress CMDLINE="producers=8 consumers=2 messages=100000 exit"
 *
 * A failure prints "ipc-stress: FAILED" and powers off with status 1.
 */
#include "hal/power.h"
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/demo.h"
#include "kernel/ipc.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "lib/printf.h"
#include "lib/string.h"

#define STRESS_MAX_PRODUCERS 16
#define STRESS_MAX_CONSUMERS 8
#define STRESS_MAX_MESSAGES  200000
#define STRESS_DEPTH         8
#define STRESS_PAYLOAD       4

enum { LABEL_DATA = 1, LABEL_STOP = 2 };

static struct endpoint *stress_ep;
static uint64_t stress_per_producer;
static uint8_t stress_seen[STRESS_MAX_MESSAGES / 8 + 1];
static uint64_t stress_received[STRESS_MAX_CONSUMERS];
static uint64_t stress_errors;
static uint64_t stress_checksum;

static uint64_t payload_word(uint64_t producer, uint64_t seq, unsigned i)
{
    uint64_t x = (producer << 40) ^ (seq << 8) ^ i ^ 0x9e3779b97f4a7c15ULL;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    return x ^ (x >> 29);
}

static uint64_t payload_checksum(const uint64_t *words)
{
    uint64_t sum = 0;

    for (unsigned i = 0; i < STRESS_PAYLOAD; i++) {
        sum = (sum << 7 | sum >> 57) ^ words[i];
    }
    return sum;
}

static void producer_main(void *arg)
{
    uint64_t producer = (uint64_t)(uintptr_t)arg;

    for (uint64_t seq = 0; seq < stress_per_producer; seq++) {
        struct ipc_msg msg = {.label = LABEL_DATA, .length = 3 + STRESS_PAYLOAD};
        msg.words[0] = producer;
        msg.words[1] = seq;
        for (unsigned i = 0; i < STRESS_PAYLOAD; i++) {
            msg.words[2 + i] = payload_word(producer, seq, i);
        }
        msg.words[2 + STRESS_PAYLOAD] = payload_checksum(&msg.words[2]);
        KASSERT(ipc_send(stress_ep, &msg) == 0);
    }
}

static void consumer_main(void *arg)
{
    uint64_t consumer = (uint64_t)(uintptr_t)arg;
    uint64_t last_seq[STRESS_MAX_PRODUCERS];
    struct ipc_msg msg;

    memset(last_seq, 0xff, sizeof(last_seq));
    while (ipc_recv(stress_ep, &msg) == 0 && msg.label == LABEL_DATA) {
        uint64_t producer = msg.words[0];
        uint64_t seq = msg.words[1];
        /* The producer's number indexes last_seq: check it before using it. */
        if (producer >= STRESS_MAX_PRODUCERS || seq >= stress_per_producer) {
            stress_errors++;
            continue;
        }
        uint64_t index = producer * stress_per_producer + seq;
        bool in_order = last_seq[producer] == ~0ULL || seq > last_seq[producer];
        if (!in_order || payload_checksum(&msg.words[2]) != msg.words[2 + STRESS_PAYLOAD] ||
            (stress_seen[index / 8] & (1u << (index % 8)))) {
            stress_errors++;
            continue;
        }
        last_seq[producer] = seq;
        stress_seen[index / 8] |= (uint8_t)(1u << (index % 8));
        stress_checksum += msg.words[2 + STRESS_PAYLOAD];
        stress_received[consumer]++;
        if (stress_received[consumer] % 16 == 0) {
            thread_yield(); /* let the other consumers have a share */
        }
    }
}

static uint64_t cmdline_number(const char *cmdline, const char *key, uint64_t fallback,
                               uint64_t max)
{
    uint64_t value = fallback;

    cmdline_get_u64(cmdline, key, &value);
    return value == 0 || value > max ? fallback : value;
}

DEMO(ipc_stress, "ipc-stress", "producers and consumers push many checksummed messages")
{
    uint64_t producers = cmdline_number(bi->cmdline, "producers", 8, STRESS_MAX_PRODUCERS);
    uint64_t consumers = cmdline_number(bi->cmdline, "consumers", 2, STRESS_MAX_CONSUMERS);
    uint64_t messages = cmdline_number(bi->cmdline, "messages", 100000, STRESS_MAX_MESSAGES);
    uint32_t ids[STRESS_MAX_PRODUCERS + STRESS_MAX_CONSUMERS];
    uint64_t expected_checksum = 0;

    stress_per_producer = messages / producers;
    messages = stress_per_producer * producers;
    kprintf("ipc-stress: %llu producers, %llu consumers, %llu messages, mailbox depth %u\n",
            (unsigned long long)producers, (unsigned long long)consumers,
            (unsigned long long)messages, STRESS_DEPTH);
    KASSERT(endpoint_create(STRESS_DEPTH, &stress_ep) == 0);
    for (uint64_t c = 0; c < consumers; c++) {
        struct thread *t = thread_create("consumer", CONFIG_DEFAULT_PRIORITY + 1, consumer_main,
                                         (void *)(uintptr_t)c);
        KASSERT(t != NULL);
        ids[producers + c] = t->id;
    }
    for (uint64_t p = 0; p < producers; p++) {
        struct thread *t = thread_create("producer", CONFIG_DEFAULT_PRIORITY + 1, producer_main,
                                         (void *)(uintptr_t)p);
        KASSERT(t != NULL);
        ids[p] = t->id;
    }
    for (uint64_t p = 0; p < producers; p++) {
        thread_join(ids[p]);
    }
    for (uint64_t c = 0; c < consumers; c++) {
        struct ipc_msg stop = {.label = LABEL_STOP, .length = 0};
        KASSERT(ipc_send(stress_ep, &stop) == 0);
    }
    for (uint64_t c = 0; c < consumers; c++) {
        thread_join(ids[producers + c]);
    }
    endpoint_destroy(stress_ep);

    uint64_t received = 0;
    uint64_t missing = 0;
    for (uint64_t c = 0; c < consumers; c++) {
        kprintf("ipc-stress: consumer %llu received %llu\n", (unsigned long long)c,
                (unsigned long long)stress_received[c]);
        received += stress_received[c];
    }
    for (uint64_t p = 0; p < producers; p++) {
        for (uint64_t seq = 0; seq < stress_per_producer; seq++) {
            uint64_t index = p * stress_per_producer + seq;
            uint64_t words[STRESS_PAYLOAD];
            missing += !(stress_seen[index / 8] & (1u << (index % 8)));
            for (unsigned i = 0; i < STRESS_PAYLOAD; i++) {
                words[i] = payload_word(p, seq, i);
            }
            expected_checksum += payload_checksum(words);
        }
    }
    if (received != messages || missing || stress_errors || stress_checksum != expected_checksum) {
        kprintf("ipc-stress: FAILED: received %llu of %llu, %llu missing, %llu bad or duplicated\n",
                (unsigned long long)received, (unsigned long long)messages,
                (unsigned long long)missing, (unsigned long long)stress_errors);
        hal_power_off(POWER_EXIT_TEST_FAILED);
    }
    kprintf("ipc-stress: all %llu messages accounted for: none lost, none duplicated, "
            "checksums match (0x%016llx)\n",
            (unsigned long long)messages, (unsigned long long)stress_checksum);
}
