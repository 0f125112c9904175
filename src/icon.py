"""Draws src/icon.png, the packages' NuGet icon (128x128 RGBA): a signed delivery, as an "H" on a rounded square with a
check mark badge. Standard library only: python3 src/icon.py"""
import os
import struct
import zlib

SIZE, SCALE = 128, 4  # drawn at 4x and averaged down, for smooth edges
BACKGROUND = (76, 36, 163)   # deep violet
FOREGROUND = (255, 255, 255)
BADGE = (34, 197, 94)        # green


def inside_rounded_square(x, y, size, radius):
    cx = min(max(x, radius), size - radius)
    cy = min(max(y, radius), size - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def inside_h(x, y, s):
    left = 30 * s <= x <= 48 * s and 28 * s <= y <= 100 * s
    right = 80 * s <= x <= 98 * s and 28 * s <= y <= 100 * s
    bar = 48 * s <= x <= 80 * s and 56 * s <= y <= 72 * s
    return left or right or bar


def badge(x, y, s):
    cx, cy, r = 98 * s, 98 * s, 24 * s
    d2 = (x - cx) ** 2 + (y - cy) ** 2
    if d2 > r ** 2:
        return None
    if d2 > (r - 4 * s) ** 2:
        return BACKGROUND  # a ring that separates the badge from the H
    # check mark: two thick segments
    def near(ax, ay, bx, by, width):
        vx, vy, wx, wy = bx - ax, by - ay, x - ax, y - ay
        t = max(0.0, min(1.0, (wx * vx + wy * vy) / (vx * vx + vy * vy)))
        px, py = ax + t * vx, ay + t * vy
        return (x - px) ** 2 + (y - py) ** 2 <= width ** 2
    if near(87 * s, 99 * s, 95 * s, 107 * s, 3.5 * s) or near(95 * s, 107 * s, 109 * s, 90 * s, 3.5 * s):
        return FOREGROUND
    return BADGE


def pixel(x, y):
    s = SCALE
    if not inside_rounded_square(x, y, SIZE * s, 24 * s):
        return None
    b = badge(x, y, s)
    if b is not None:
        return b
    return FOREGROUND if inside_h(x, y, s) else BACKGROUND


rows = []
for py in range(SIZE):
    row = bytearray([0])  # filter: none
    for px in range(SIZE):
        acc = [0, 0, 0, 0]
        for sy in range(SCALE):
            for sx in range(SCALE):
                c = pixel(px * SCALE + sx + 0.5, py * SCALE + sy + 0.5)
                if c is not None:
                    acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 255
        n = SCALE * SCALE
        alpha = acc[3] / n
        if alpha == 0:
            row += bytes([0, 0, 0, 0])
        else:
            k = 255 / acc[3]
            row += bytes([round(acc[0] * k), round(acc[1] * k), round(acc[2] * k), round(alpha)])
    rows.append(bytes(row))


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png"), "wb") as f:
    f.write(png)
