/* Names and descriptions for the codes of include/uapi/errors.h. */
#ifndef LIB_ERRORS_H
#define LIB_ERRORS_H

#include "uapi/errors.h"

/* "E_INVAL" for E_INVAL, "OK" for 0 and non-negative values, "E_?" otherwise. */
const char *error_name(int err);

/* A short human description, e.g. "invalid argument". */
const char *error_string(int err);

#endif
