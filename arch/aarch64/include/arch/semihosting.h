/* Semihosting: requests to the debugger or emulator via "hlt #0xf000". */
#ifndef ARCH_SEMIHOSTING_H
#define ARCH_SEMIHOSTING_H

#include <stdbool.h>
#include <stdint.h>

#define SEMIHOSTING_HLT_INSN 0xd45e0000u /* the encoding of hlt #0xf000 */

/* Asks the host to exit with status; returns only if semihosting is off. */
void semihosting_exit(int status);

/* Called by the exception handler when "hlt #0xf000" trapped as undefined:
 * semihosting is off, and later calls skip straight to the fallback. */
void semihosting_mark_unavailable(void);

#endif
