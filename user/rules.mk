# User programs: static EL0 ELFs linked with user/user.ld and the runtime in
# user/lib, packed into one boot archive that the kernel image carries.

USER_PROGRAMS := init ping pong snoop fault usertest fpu echo bench benchsrv racetest faultinj fuzz \
	pager

USER_LIB_SRCS := user/lib/crt0.S user/lib/syscalls.c user/lib/uprintf.c user/lib/kernel_counts.c \
	user/lib/utest.c lib/printf.c lib/string.c lib/bench_stats.c

# Like the kernel's flags, but user code may use FP/SIMD registers.
USER_CFLAGS := -std=c11 -Wall -Wextra -Werror $(OPT) -g -ffreestanding -nostdlib \
	-fno-pie -fno-pic -fno-stack-protector -march=armv8-a -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-unwind-tables $(TOOLCHAIN_CFLAGS) \
	-Iinclude -Iuser/include -MMD -MP

USER_LIB_OBJS := $(patsubst %,$(BUILD)/user/%.o,$(basename $(USER_LIB_SRCS)))
USER_ELFS := $(patsubst %,$(BUILD)/user/%.elf,$(USER_PROGRAMS))

$(BUILD)/user/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(@D)
	@echo "  USERCC  $<"
	@$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/user/%.o: %.S $(BUILD)/.flags
	@mkdir -p $(@D)
	@echo "  USERAS  $<"
	@$(CC) $(USER_CFLAGS) -c $< -o $@

# A program is one file, user/programs/NAME.c, or a directory of them,
# user/programs/NAME/*.c.
user_program_objs = $(patsubst %.c,$(BUILD)/user/%.o,$(wildcard user/programs/$(1).c user/programs/$(1)/*.c))

.SECONDEXPANSION:
$(USER_ELFS): $(BUILD)/user/%.elf: $$(call user_program_objs,$$*) $(USER_LIB_OBJS) user/user.ld
	@echo "  USERLD  $@"
	@$(LD) -nostdlib -static --build-id=none -z max-page-size=4096 -T user/user.ld \
		$(filter %.o,$^) -o $@

# The archive carries the programs without their debug information (the
# unstripped ELFs in $(BUILD)/user/ are what gdb wants).
$(BUILD)/user/stripped/%.elf: $(BUILD)/user/%.elf
	@mkdir -p $(@D)
	@$(OBJCOPY) --strip-debug $< $@

$(BUILD)/user/archive.bin: $(patsubst $(BUILD)/user/%,$(BUILD)/user/stripped/%,$(USER_ELFS)) scripts/mkarchive.py
	@echo "  ARCHIVE $@"
	@$(PYTHON) scripts/mkarchive.py $@ $(filter %.elf,$^)

# The archive goes into the kernel's read-only data, between two symbols.
$(BUILD)/user_archive.S: Makefile user/rules.mk
	@mkdir -p $(@D)
	@printf '%s\n' '.section .rodata.user_archive, "a"' '.balign 16' \
		'.globl user_archive_start, user_archive_end' 'user_archive_start:' \
		'.incbin "$(BUILD)/user/archive.bin"' 'user_archive_end:' > $@

$(BUILD)/user_archive.o: $(BUILD)/user_archive.S $(BUILD)/user/archive.bin
	@$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

KERNEL_EXTRA_OBJS += $(BUILD)/user_archive.o
-include $(USER_LIB_OBJS:.o=.d) $(USER_ELFS:.elf=.d)
# The programs' own header dependencies (their objects are intermediate files).
-include $(patsubst %.c,$(BUILD)/user/%.d,$(wildcard user/programs/*.c user/programs/*/*.c))
