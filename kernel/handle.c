/*
 * Per-task handle tables, and the references handles hold on the objects
 * they name (see include/kernel/handle.h).
 */
#include "kernel/handle.h"

#include "kernel/failpoint.h"
#include "kernel/ipc.h"
#include "kernel/klock.h"
#include "kernel/notify.h"
#include "kernel/task.h"
#include "uapi/errors.h"

void handle_table_init(struct handle_table *table)
{
    for (int i = 0; i < CONFIG_MAX_HANDLES; i++) {
        table->slots[i].type = HANDLE_FREE;
        table->slots[i].object = 0;
    }
}

int handle_install_at(struct handle_table *table, int h, enum handle_type type, void *object)
{
    KLOCK_ASSERT_HELD();
    if (h < 0 || h >= CONFIG_MAX_HANDLES || type == HANDLE_FREE || !object) {
        return E_BADHANDLE;
    }
    if (table->slots[h].type != HANDLE_FREE) {
        return E_BUSY;
    }
    if (failpoint_hit(FAILPOINT_HANDLE)) {
        return E_NOSPC;
    }
    table->slots[h].type = type;
    table->slots[h].object = object;
    return h;
}

int handle_install(struct handle_table *table, enum handle_type type, void *object)
{
    for (int h = 0; h < CONFIG_MAX_HANDLES; h++) {
        if (table->slots[h].type == HANDLE_FREE) {
            return handle_install_at(table, h, type, object);
        }
    }
    return E_NOSPC;
}

int handle_lookup(const struct handle_table *table, long h, enum handle_type type,
                  struct handle *out)
{
    KLOCK_ASSERT_HELD();
    if (h < 0 || h >= CONFIG_MAX_HANDLES || table->slots[h].type == HANDLE_FREE ||
        (type != HANDLE_FREE && table->slots[h].type != type)) {
        return E_BADHANDLE;
    }
    *out = table->slots[h];
    return 0;
}

int handle_remove(struct handle_table *table, long h, struct handle *out)
{
    int err = handle_lookup(table, h, HANDLE_FREE, out);

    if (err == 0) {
        table->slots[h].type = HANDLE_FREE;
        table->slots[h].object = 0;
    }
    return err;
}

unsigned handle_count(const struct handle_table *table)
{
    unsigned n = 0;

    KLOCK_ASSERT_HELD();
    for (int h = 0; h < CONFIG_MAX_HANDLES; h++) {
        n += table->slots[h].type != HANDLE_FREE;
    }
    return n;
}

/* ---- the references behind handles ---- */

void object_ref(enum handle_type type, void *object)
{
    if (type == HANDLE_ENDPOINT) {
        endpoint_ref(object);
    } else if (type == HANDLE_NOTIFICATION) {
        notify_ref(object);
    } else if (type == HANDLE_TASK) {
        task_ref(object);
    }
}

void object_unref(enum handle_type type, void *object)
{
    if (type == HANDLE_ENDPOINT) {
        endpoint_unref(object);
    } else if (type == HANDLE_NOTIFICATION) {
        notify_unref(object);
    } else if (type == HANDLE_TASK) {
        task_unref(object);
    }
}

int handle_install_new(struct handle_table *table, enum handle_type type, void *object)
{
    int h = handle_install(table, type, object);

    if (h < 0) {
        object_unref(type, object);
    }
    return h;
}

void handle_close_all(struct handle_table *table)
{
    for (int h = 0; h < CONFIG_MAX_HANDLES; h++) {
        struct handle handle;
        if (handle_remove(table, h, &handle) == 0) {
            object_unref(handle.type, handle.object);
        }
    }
}
