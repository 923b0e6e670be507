KERNEL_SRCS += drivers/pl011.c drivers/gicv2.c
