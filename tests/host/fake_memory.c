/*
 * The host test build's physical memory: include/hal/memory.h over host
 * buffers, plus the ktest_env_phys_region() provider.
 *
 * Each region a test asks for is a fresh heap buffer (so ASan watches every
 * byte of it) registered at a fake physical address. hal_phys_to_virt() and
 * hal_virt_to_phys() translate only inside registered regions: any other
 * address, including one from a region already released, is a bug in the
 * code under test, and the run aborts on the spot with the address.
 *
 * Fake addresses start at 0x80000000, 8 MiB apart, and are never reused.
 * Each sits one frame past a 4 MiB boundary, so tests cannot come to rely
 * on more than frame alignment (the kernel's fallback region has no more).
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "lib/ktest_env_memory.h"
#include "hal/memory.h"
#include "uapi/errors.h"

#define FAKE_PHYS_BASE   0x80000000ULL
#define FAKE_PHYS_STRIDE (8ULL << 20)
#define FAKE_PHYS_SKEW   0x1000ULL
#define FAKE_FRAME       4096
#define FAKE_MAX_REGIONS 16

struct fake_region {
    uint64_t pa; /* 0: slot unused */
    size_t size;
    unsigned char *host;
};

static struct fake_region fake_regions[FAKE_MAX_REGIONS];
static uint64_t fake_next_index;

static __attribute__((noreturn)) void fake_die(const char *what, unsigned long long addr)
{
    fprintf(stderr, "fake_memory: %s 0x%llx is in no registered region\n", what, addr);
    abort();
}

void hal_zero_page(void *va)
{
    memset(va, 0, 4096);
}

void *hal_phys_to_virt(uint64_t pa)
{
    for (unsigned i = 0; i < FAKE_MAX_REGIONS; i++) {
        struct fake_region *r = &fake_regions[i];
        if (r->pa != 0 && pa >= r->pa && pa - r->pa < r->size) {
            return r->host + (pa - r->pa);
        }
    }
    fake_die("physical address", (unsigned long long)pa);
}

uint64_t hal_virt_to_phys(const void *va)
{
    const unsigned char *p = va;

    for (unsigned i = 0; i < FAKE_MAX_REGIONS; i++) {
        struct fake_region *r = &fake_regions[i];
        if (r->pa != 0 && p >= r->host && p < r->host + r->size) {
            return r->pa + (uint64_t)(p - r->host);
        }
    }
    fake_die("host pointer", (unsigned long long)(uintptr_t)va);
}

int ktest_env_phys_region(size_t size, uint64_t *pa_out)
{
    if (size == 0 || size % FAKE_FRAME != 0 || size > KTEST_ENV_PHYS_MAX) {
        return E_INVAL;
    }
    for (unsigned i = 0; i < FAKE_MAX_REGIONS; i++) {
        struct fake_region *r = &fake_regions[i];
        if (r->pa != 0) {
            continue;
        }
        r->host = aligned_alloc(FAKE_FRAME, size);
        if (!r->host) {
            return E_NOMEM;
        }
        r->size = size;
        r->pa = FAKE_PHYS_BASE + fake_next_index++ * FAKE_PHYS_STRIDE + FAKE_PHYS_SKEW;
        *pa_out = r->pa;
        return 0;
    }
    return E_BUSY;
}

void ktest_env_phys_release(uint64_t pa, size_t size)
{
    for (unsigned i = 0; i < FAKE_MAX_REGIONS; i++) {
        struct fake_region *r = &fake_regions[i];
        if (r->pa == pa && pa != 0) {
            if (r->size != size) {
                fprintf(stderr, "fake_memory: region 0x%llx released with size %zu, not %zu\n",
                        (unsigned long long)pa, size, r->size);
                abort();
            }
            free(r->host);
            r->pa = 0;
            r->host = NULL;
            return;
        }
    }
    fake_die("released region", (unsigned long long)pa);
}
