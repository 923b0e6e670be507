#!/usr/bin/env python3
"""Pack user programs into the boot archive the kernel carries in its image.

    mkarchive.py OUTPUT FILE...

Each FILE is stored under its base name without extension ("build/user/ping.elf"
becomes "ping"). The format, read by kernel/boot_archive.c:

    header   8 bytes magic "UARCHIV1", u32 entry count, u32 zero
    entries  count x { char name[32] (NUL-padded), u64 offset, u64 size }
    data     each file, 16-byte aligned; offsets count from the archive start

All integers are little-endian.
"""
import os
import struct
import sys

MAGIC = b"UARCHIV1"
NAME_MAX = 32


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: mkarchive.py OUTPUT FILE...")
    output, files = sys.argv[1], sys.argv[2:]
    header_size = 16 + len(files) * (NAME_MAX + 16)
    entries = []
    blobs = []
    offset = (header_size + 15) & ~15
    for path in files:
        name = os.path.splitext(os.path.basename(path))[0].encode()
        if len(name) >= NAME_MAX:
            sys.exit(f"mkarchive: name too long: {name!r}")
        with open(path, "rb") as f:
            data = f.read()
        entries.append(struct.pack("<32sQQ", name, offset, len(data)))
        blobs.append((offset, data))
        offset = (offset + len(data) + 15) & ~15
    image = bytearray(offset)
    image[0:16] = struct.pack("<8sII", MAGIC, len(files), 0)
    image[16:header_size] = b"".join(entries)
    for start, data in blobs:
        image[start:start + len(data)] = data
    with open(output, "wb") as f:
        f.write(image)


if __name__ == "__main__":
    main()
