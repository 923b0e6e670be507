/*
 * What the portable kernel asks of the platform code in platform/<board>/.
 */
#ifndef KERNEL_PLATFORM_H
#define KERNEL_PLATFORM_H

#include <stddef.h>

#include "kernel/boot_info.h"

/*
 * Fills bi from the device tree blob at dtb (at most max_size readable bytes).
 * Sets every field except kernel, dtb and entry_el, which belong to the caller
 * and are left as they are. Devices the tree does not describe (no pl011, no
 * GIC, no timer) leave their fields 0; a /psci node is optional.
 *
 * Returns 0 or a negative error, after which bi's other fields are unspecified:
 *   E_INVAL   dtb or bi is NULL
 *   E_BADFMT  the blob, or a property this code relies on, is malformed
 *   E_NOENT   there is no RAM (no enabled device_type = "memory" node)
 *   E_NOSPC   more than BOOT_MAX_RAM_RANGES RAM ranges or BOOT_MAX_RESERVED
 *             reserved ranges; never silently dropped, as a forgotten
 *             reservation would let the kernel hand out memory it must not touch
 *   E_RANGE   a reg that needs more than 64-bit addresses or sizes
 */
int platform_parse_dtb(const void *dtb, size_t max_size, struct boot_info *bi);

#endif
