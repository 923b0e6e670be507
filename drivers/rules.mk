KERNEL_SRCS += drivers/pl011.c
