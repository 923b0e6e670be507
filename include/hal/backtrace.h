/*
 * Walking the stack. Every function the kernel compiles keeps a frame
 * record {previous frame pointer, return address} and points the frame
 * pointer register at it, so the chain of records is the call stack.
 */
#ifndef HAL_BACKTRACE_H
#define HAL_BACKTRACE_H

#include <stdint.h>

/*
 * Follows the frame records from fp and stores up to max return addresses
 * in pcs; returns how many. Stops at a zero or implausible frame pointer
 * (misaligned, not going up the stack, or not mapped) instead of faulting.
 */
unsigned hal_backtrace(uintptr_t fp, uintptr_t *pcs, unsigned max);

#endif
