/*
 * Host runner for the ktest cases: the portable code of lib/, kernel/ and
 * platform/ linked with the fake HAL and the sanitizers.
 *
 * usage: ktest-host [--dtb FILE] [FILTER]
 *   --dtb FILE  a device tree dumped by QEMU (qemu -machine virt,dumpdtb=FILE),
 *               handed to the cases that parse the real machine's DTB.
 *   FILTER      run only cases whose "suite.name" starts with FILTER.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hal/irq.h"
#include "kernel/thread.h"
#include "lib/ktest.h"

static void *host_dtb;

const void *ktest_env_dtb(void)
{
    return host_dtb;
}

static void *load_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *buf = malloc((size_t)size);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "%s: read failed\n", path);
        exit(2);
    }
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    const char *filter = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dtb") == 0 && i + 1 < argc) {
            host_dtb = load_file(argv[++i]);
        } else {
            filter = argv[i];
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* The cases run as the thread "main", with the timer on and interrupts
     * unmasked, as in the kernel. */
    sched_init();
    sched_start_preemption(KTEST_SLICE_NS);
    hal_irq_local_enable();
    int failed = ktest_run_all(filter);
    free(host_dtb);
    return failed ? 1 : 0;
}
