/* Handle tables: install, look up by type, remove, limits. */
#include "kernel/handle.h"
#include "ktest_locked.h"
#include "lib/ktest.h"
#include "uapi/errors.h"

static int objects[3];

KTEST_LOCKED(handle, install_lookup_remove)
{
    static struct handle_table table;
    struct handle h;

    handle_table_init(&table);
    KTEST_EXPECT_EQ(t, handle_install(&table, HANDLE_ENDPOINT, &objects[0]), 0);
    KTEST_EXPECT_EQ(t, handle_install(&table, HANDLE_NOTIFICATION, &objects[1]), 1);
    KTEST_EXPECT_EQ(t, handle_lookup(&table, 0, HANDLE_ENDPOINT, &h), 0);
    KTEST_EXPECT_TRUE(t, h.object == &objects[0]);
    KTEST_EXPECT_EQ(t, handle_lookup(&table, 0, HANDLE_FREE, &h), 0); /* any type */
    KTEST_EXPECT_EQ(t, handle_lookup(&table, 1, HANDLE_ENDPOINT, &h), E_BADHANDLE);
    KTEST_EXPECT_EQ(t, handle_lookup(&table, 2, HANDLE_FREE, &h), E_BADHANDLE);
    KTEST_EXPECT_EQ(t, handle_lookup(&table, -1, HANDLE_FREE, &h), E_BADHANDLE);
    KTEST_EXPECT_EQ(t, handle_lookup(&table, CONFIG_MAX_HANDLES, HANDLE_FREE, &h), E_BADHANDLE);
    KTEST_EXPECT_EQ(t, handle_remove(&table, 0, &h), 0);
    KTEST_EXPECT_EQ(t, h.type, HANDLE_ENDPOINT);
    KTEST_EXPECT_EQ(t, handle_remove(&table, 0, &h), E_BADHANDLE);
    /* The lowest free slot is reused. */
    KTEST_EXPECT_EQ(t, handle_install(&table, HANDLE_TASK, &objects[2]), 0);
    KTEST_EXPECT_EQ(t, handle_count(&table), 2);
}

KTEST_LOCKED(handle, fixed_slots_and_exhaustion)
{
    static struct handle_table table;

    handle_table_init(&table);
    KTEST_EXPECT_EQ(t, handle_install_at(&table, 5, HANDLE_ENDPOINT, &objects[0]), 5);
    KTEST_EXPECT_EQ(t, handle_install_at(&table, 5, HANDLE_ENDPOINT, &objects[0]), E_BUSY);
    KTEST_EXPECT_EQ(t, handle_install_at(&table, CONFIG_MAX_HANDLES, HANDLE_ENDPOINT, &objects[0]),
                    E_BADHANDLE);
    KTEST_EXPECT_EQ(t, handle_install_at(&table, 1, HANDLE_FREE, &objects[0]), E_BADHANDLE);
    for (int i = 1; i < CONFIG_MAX_HANDLES; i++) {
        KTEST_EXPECT_TRUE(t, handle_install(&table, HANDLE_ENDPOINT, &objects[0]) >= 0);
    }
    KTEST_EXPECT_EQ(t, handle_install(&table, HANDLE_ENDPOINT, &objects[0]), E_NOSPC);
    KTEST_EXPECT_EQ(t, handle_count(&table), CONFIG_MAX_HANDLES);
}
