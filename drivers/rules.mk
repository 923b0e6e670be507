KERNEL_SRCS += drivers/pl011.c drivers/gicv2.c

# The GIC driver is plain register arithmetic: host tests run it on a fake register file.
HOST_SRCS += drivers/gicv2.c
