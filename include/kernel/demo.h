/*
 * Demos: what "make run DEMO=<name>" runs after boot. Each demo registers
 * itself with DEMO() in the "demos" linker section; kmain() picks one by the
 * command line's demo=<name>.
 */
#ifndef KERNEL_DEMO_H
#define KERNEL_DEMO_H

struct boot_info;

struct demo {
    const char *name;
    const char *summary;
    void (*run)(const struct boot_info *bi);
};

#define DEMO(ident, name_str, summary_str)                                                         \
    static void demo_run_##ident(const struct boot_info *bi);                                      \
    static const struct demo demo_##ident __attribute__((used, section("demos"), aligned(8))) = {  \
        name_str, summary_str, demo_run_##ident};                                                  \
    static void demo_run_##ident(const struct boot_info *bi)

/* The demo called name, or NULL. */
const struct demo *demo_find(const char *name);

/* Prints every demo's name and summary, one per line. */
void demo_print_list(void);

#endif
