/*
 * ktest's window on physical memory: how a test case gets a region of
 * "physical" RAM to build a private frame allocator (or page tables) over.
 *
 * The test code is the same in both worlds; only the provider differs:
 *   - host: tests/host/fake_memory.c backs the region with a host buffer and
 *     registers it as fake physical memory, so hal_phys_to_virt() works on it
 *     (and any other physical address aborts the test run);
 *   - kernel: kernel/ktest_env_memory.c takes the region from the global
 *     frame allocator.
 *
 * Regions are only guaranteed to be frame-aligned (never more), so tests
 * must not rely on larger alignment: the host provider deliberately places
 * regions one frame past a 4 MiB boundary to keep tests honest.
 */
#ifndef LIB_KTEST_ENV_MEMORY_H
#define LIB_KTEST_ENV_MEMORY_H

#include <stddef.h>
#include <stdint.h>

/* The largest region ktest_env_phys_region() can hand out. */
#define KTEST_ENV_PHYS_MAX (4u << 20)

/*
 * Stores in *pa_out the physical address of a frame-aligned region of size
 * bytes (a multiple of 4 KiB, at most KTEST_ENV_PHYS_MAX) that the caller
 * owns until ktest_env_phys_release(). Its contents are undefined. Returns
 * 0, E_INVAL for a bad size, E_NOMEM if no region is available.
 */
int ktest_env_phys_region(size_t size, uint64_t *pa_out);

/* Gives back a region from ktest_env_phys_region(), with the same size. */
void ktest_env_phys_release(uint64_t pa, size_t size);

#endif
