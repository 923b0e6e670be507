/* Printing durations the way the demos show them: "20.013 ms". */
#ifndef KERNEL_TIME_FORMAT_H
#define KERNEL_TIME_FORMAT_H

#include <stdint.h>

#include "lib/printf.h"

/* Milliseconds with three decimals, e.g. 20013042 ns -> "20.013". */
#define MS_FMT      "%llu.%03llu"
#define MS_ARGS(ns) (unsigned long long)((ns) / 1000000), (unsigned long long)((ns) / 1000 % 1000)

#endif
