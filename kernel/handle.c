/* Per-task handle tables (see include/kernel/handle.h). */
#include "kernel/handle.h"

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
    if (h < 0 || h >= CONFIG_MAX_HANDLES || type == HANDLE_FREE || !object) {
        return E_BADHANDLE;
    }
    if (table->slots[h].type != HANDLE_FREE) {
        return E_BUSY;
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

    for (int h = 0; h < CONFIG_MAX_HANDLES; h++) {
        n += table->slots[h].type != HANDLE_FREE;
    }
    return n;
}
