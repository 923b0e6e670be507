LIB_SRCS := \
	lib/errors.c \
	lib/fdt.c \
	lib/ktest.c \
	lib/printf.c \
	lib/string.c

KERNEL_SRCS += $(LIB_SRCS)
HOST_SRCS += $(LIB_SRCS)

# Benchmark statistics: the kernel's and the user programs' benchmarks, and host tests.
KERNEL_SRCS += lib/bench_stats.c
HOST_SRCS += lib/bench_stats.c
