/* The boot archive reader, on archives built here, good and broken. */
#include "kernel/boot_archive.h"
#include "lib/ktest.h"
#include "lib/string.h"
#include "uapi/errors.h"

static uint8_t archive[256] __attribute__((aligned(16)));

static void put64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* Two files: "init" (5 bytes at 112) and "ping" (3 bytes at 128). */
static void build_archive(void)
{
    memset(archive, 0, sizeof(archive));
    memcpy(archive, "UARCHIV1", 8);
    put64(archive + 8, 2);
    memcpy(archive + 16, "init", 4);
    put64(archive + 16 + 32, 112);
    put64(archive + 16 + 40, 5);
    memcpy(archive + 64, "ping", 4);
    put64(archive + 64 + 32, 128);
    put64(archive + 64 + 40, 3);
    memcpy(archive + 112, "hello", 5);
    memcpy(archive + 128, "abc", 3);
}

KTEST(boot_archive, find_files)
{
    struct boot_archive ar;
    const void *file;
    size_t size;

    build_archive();
    KTEST_ASSERT_EQ(t, boot_archive_open(&ar, archive, 144), 0);
    KTEST_EXPECT_EQ(t, ar.count, 2);
    KTEST_EXPECT_STREQ(t, boot_archive_name(&ar, 1), "ping");
    KTEST_EXPECT_TRUE(t, boot_archive_name(&ar, 2) == NULL);
    KTEST_EXPECT_EQ(t, boot_archive_find(&ar, "ping", 4, &file, &size), 0);
    KTEST_EXPECT_EQ(t, size, 3);
    KTEST_EXPECT_MEMEQ(t, file, "abc", 3);
    KTEST_EXPECT_EQ(t, boot_archive_find(&ar, "pin", 3, &file, &size), E_NOENT);
    KTEST_EXPECT_EQ(t, boot_archive_find(&ar, "pingpong", 8, &file, &size), E_NOENT);
    KTEST_EXPECT_EQ(t, boot_archive_find(&ar, "", 0, &file, &size), E_NOENT);
}

KTEST(boot_archive, broken_archives)
{
    struct boot_archive ar;

    build_archive();
    KTEST_EXPECT_EQ(t, boot_archive_open(&ar, archive, 8), E_BADFMT);
    KTEST_EXPECT_EQ(t, boot_archive_open(&ar, archive, 100), E_BADFMT); /* entries cut off */
    KTEST_EXPECT_EQ(t, boot_archive_open(&ar, archive, 130), E_BADFMT); /* file 2 cut off */
    put64(archive + 8, 1000000);
    KTEST_EXPECT_EQ(t, boot_archive_open(&ar, archive, 144), E_BADFMT);
    build_archive();
    put64(archive + 64 + 32, ~0ULL - 1); /* offset + size wraps */
    KTEST_EXPECT_EQ(t, boot_archive_open(&ar, archive, 144), E_BADFMT);
    build_archive();
    memset(archive + 16, 'x', 32); /* a name with no terminator */
    KTEST_EXPECT_EQ(t, boot_archive_open(&ar, archive, 144), E_BADFMT);
    build_archive();
    archive[0] = 'X';
    KTEST_EXPECT_EQ(t, boot_archive_open(&ar, archive, 144), E_BADFMT);
}
