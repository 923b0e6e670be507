LIB_SRCS := \
	lib/errors.c \
	lib/fdt.c \
	lib/ktest.c \
	lib/printf.c \
	lib/string.c

KERNEL_SRCS += $(LIB_SRCS)
HOST_SRCS += $(LIB_SRCS)
