/* The ELF checks, on a small valid executable built here and on broken copies of it. */
#include "kernel/elf.h"
#include "lib/ktest.h"
#include "lib/string.h"
#include "uapi/errors.h"

#define TOP       0x0001000000000000ULL
#define FILE_SIZE 0x3000

static uint8_t elf_file[FILE_SIZE] __attribute__((aligned(16)));

static void put(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static uint8_t *phdr(unsigned i)
{
    return elf_file + 64 + i * 56;
}

static void set_phdr(unsigned i, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
                     uint64_t filesz, uint64_t memsz)
{
    uint8_t *p = phdr(i);

    put(p, type, 4);
    put(p + 4, flags, 4);
    put(p + 8, offset, 8);
    put(p + 16, vaddr, 8);
    put(p + 24, vaddr, 8);
    put(p + 32, filesz, 8);
    put(p + 40, memsz, 8);
    put(p + 48, 0x1000, 8);
}

/* A text segment at 0x400000 (R X) and a data segment at 0x402000 (R W, with BSS). */
static void build_valid_elf(void)
{
    memset(elf_file, 0, sizeof(elf_file));
    memcpy(elf_file,
           "\x7f"
           "ELF",
           4);
    elf_file[4] = 2;
    elf_file[5] = 1;
    elf_file[6] = 1;
    put(elf_file + 16, 2, 2);   /* ET_EXEC */
    put(elf_file + 18, 183, 2); /* EM_AARCH64 */
    put(elf_file + 20, 1, 4);
    put(elf_file + 24, 0x400010, 8); /* entry */
    put(elf_file + 32, 64, 8);       /* phoff */
    put(elf_file + 52, 64, 2);
    put(elf_file + 54, 56, 2);
    put(elf_file + 56, 2, 2); /* phnum */
    set_phdr(0, 1, 5, 0x1000, 0x400000, 0x800, 0x800);
    set_phdr(1, 1, 6, 0x2000, 0x402000, 0x100, 0x3000);
}

static int parse(struct ktest *t, size_t size, const char **reason)
{
    struct elf_image image;

    (void)t;
    return elf_parse(elf_file, size, TOP, &image, reason);
}

KTEST(elf, valid_executable)
{
    struct elf_image image;
    const char *reason;

    build_valid_elf();
    KTEST_ASSERT_EQ(t, elf_parse(elf_file, FILE_SIZE, TOP, &image, &reason), 0);
    KTEST_EXPECT_EQ(t, image.entry, 0x400010);
    KTEST_EXPECT_EQ(t, image.segment_count, 2);
    KTEST_EXPECT_EQ(t, image.segments[0].flags, ELF_SEG_READ | ELF_SEG_EXEC);
    KTEST_EXPECT_EQ(t, image.segments[1].memsz, 0x3000);
    KTEST_EXPECT_EQ(t, image.segments[1].flags, ELF_SEG_READ | ELF_SEG_WRITE);
}

/* Each broken variant must be refused with the reason given. */
static void expect_rejected(struct ktest *t, size_t size, const char *why)
{
    const char *reason = "";

    KTEST_EXPECT_EQ(t, parse(t, size, &reason), E_BADFMT);
    KTEST_EXPECT_STREQ(t, reason, why);
}

KTEST(elf, truncated_files)
{
    build_valid_elf();
    expect_rejected(t, 40, "file shorter than an ELF header");
    expect_rejected(t, 100, "program headers lie outside the file");
    expect_rejected(t, 0x1400, "segment data lies outside the file");
}

KTEST(elf, bad_header_fields)
{
    build_valid_elf();
    elf_file[0] = 0;
    expect_rejected(t, FILE_SIZE, "no ELF magic");
    build_valid_elf();
    elf_file[4] = 1; /* 32-bit */
    expect_rejected(t, FILE_SIZE, "not a little-endian ELF64 file, version 1");
    build_valid_elf();
    put(elf_file + 16, 3, 2); /* ET_DYN */
    expect_rejected(t, FILE_SIZE, "not an executable (ET_EXEC)");
    build_valid_elf();
    put(elf_file + 18, 62, 2); /* x86-64 */
    expect_rejected(t, FILE_SIZE, "not built for AArch64");
    build_valid_elf();
    put(elf_file + 54, 32, 2);
    expect_rejected(t, FILE_SIZE, "unexpected header sizes");
    build_valid_elf();
    put(elf_file + 56, 0xffff, 2); /* phnum */
    expect_rejected(t, FILE_SIZE, "program headers lie outside the file");
}

KTEST(elf, bad_entry_point)
{
    build_valid_elf();
    put(elf_file + 24, 0x402010, 8); /* in the data segment */
    expect_rejected(t, FILE_SIZE, "entry point is not in an executable segment");
    build_valid_elf();
    put(elf_file + 24, 0x400011, 8); /* misaligned */
    expect_rejected(t, FILE_SIZE, "entry point is not in an executable segment");
    build_valid_elf();
    put(elf_file + 24, 0, 8);
    expect_rejected(t, FILE_SIZE, "entry point is not in an executable segment");
}

KTEST(elf, bad_segments)
{
    build_valid_elf();
    set_phdr(1, 1, 6, 0x2400, 0x400400, 0x100, 0x100); /* shares a page with text */
    expect_rejected(t, FILE_SIZE, "segments overlap");
    build_valid_elf();
    set_phdr(1, 1, 7, 0x2000, 0x402000, 0x100, 0x100); /* W and X */
    expect_rejected(t, FILE_SIZE, "segment is both writable and executable");
    build_valid_elf();
    set_phdr(1, 1, 6, 0x2000, 0x402000, 0x200, 0x100); /* filesz > memsz */
    expect_rejected(t, FILE_SIZE, "segment has more file bytes than memory");
    build_valid_elf();
    set_phdr(1, 1, 6, 0x2000, 0x402000, 0x100, 1ULL << 40); /* huge */
    expect_rejected(t, FILE_SIZE, "segment size is huge");
    build_valid_elf();
    set_phdr(1, 1, 6, 0x2000, 0xffff000040000000ULL, 0x100, 0x100); /* kernel half */
    expect_rejected(t, FILE_SIZE, "segment lies outside user space");
    build_valid_elf();
    set_phdr(1, 1, 6, 0x2000, TOP - 0x1000, 0x100, 0x2000); /* runs past the top */
    expect_rejected(t, FILE_SIZE, "segment lies outside user space");
    build_valid_elf();
    set_phdr(1, 1, 6, 0x2000, 0x402008, 0x100, 0x100); /* vaddr and offset disagree mod align */
    expect_rejected(t, FILE_SIZE, "segment alignment is inconsistent");
    build_valid_elf();
    set_phdr(1, 1, 6, ~0ULL - 8, 0x402000, 0x100, 0x100); /* offset + size wraps */
    expect_rejected(t, FILE_SIZE, "segment data lies outside the file");
    build_valid_elf();
    set_phdr(0, 4, 5, 0x1000, 0x400000, 0x800, 0x800); /* text is not PT_LOAD: no exec segment */
    expect_rejected(t, FILE_SIZE, "entry point is not in an executable segment");
}

KTEST(elf, random_corruption_never_crashes)
{
    struct elf_image image;
    const char *reason;
    uint64_t seed = 0xe1f;

    for (int i = 0; i < 2000; i++) {
        build_valid_elf();
        for (int k = 0; k < 4; k++) {
            elf_file[ktest_rand(&seed) % (64 + 2 * 56)] ^= (uint8_t)ktest_rand(&seed);
        }
        int err = elf_parse(elf_file, FILE_SIZE, TOP, &image, &reason);
        if (!KTEST_EXPECT_TRUE(t, err == 0 || err == E_BADFMT)) {
            return;
        }
        if (err == 0) {
            /* Whatever got through must still satisfy the loader's assumptions. */
            for (unsigned s = 0; s < image.segment_count; s++) {
                KTEST_EXPECT_TRUE(t,
                                  image.segments[s].offset + image.segments[s].filesz <= FILE_SIZE);
                KTEST_EXPECT_TRUE(t, image.segments[s].vaddr + image.segments[s].memsz <= TOP);
            }
        }
    }
}
