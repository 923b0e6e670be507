KERNEL_SRCS += \
	platform/qemu-virt/platform.c \
	platform/qemu-virt/irq.c \
	platform/qemu-virt/el3_setup.S \
	platform/qemu-virt/boot_info.c

HOST_SRCS += platform/qemu-virt/boot_info.c

# The MMIO windows the kernel maps for itself (hal_mmu_kernel_devices).
KERNEL_SRCS += platform/qemu-virt/kernel_devices.c
