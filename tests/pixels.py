"""Screenshots as pixels, for tests that compare two drawings: a PNG decoder for what Chromium
writes (8-bit RGB or RGBA, not interlaced) and the share of pixels that differ."""

from __future__ import annotations

import struct
import zlib

import numpy as np

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {2: 3, 6: 4}  # PNG colour type → channels


def decode(png: bytes) -> np.ndarray:
    """The image as an array of shape (height, width, channels)."""
    if not png.startswith(_SIGNATURE):
        raise ValueError("not a PNG")
    offset, chunks, header = len(_SIGNATURE), [], None
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        body = png[offset + 8 : offset + 8 + length]
        offset += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in _CHANNELS or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}")
    channels = _CHANNELS[colour]
    stride = width * channels
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), np.int32)
    previous = np.zeros(stride, np.int32)
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        if kind == 0:
            row = line
        elif kind == 2:
            row = (line + previous) & 0xFF
        else:  # Sub, Average and Paeth depend on the pixel to the left: one at a time
            row = np.zeros(stride, np.int32)
            for x in range(stride):
                left = row[x - channels] if x >= channels else 0
                up = previous[x]
                if kind == 1:
                    row[x] = (line[x] + left) & 0xFF
                elif kind == 3:
                    row[x] = (line[x] + (left + up) // 2) & 0xFF
                else:
                    corner = previous[x - channels] if x >= channels else 0
                    estimate = left + up - corner
                    pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                    guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                    row[x] = (line[x] + guess) & 0xFF
        out[y] = row
        previous = row
    return out.reshape(height, width, channels)[:, :, :3].astype(np.uint8)


def differing(a: bytes, b: bytes, tolerance: int = 24) -> float:
    """The share of pixels whose colour differs by more than `tolerance` (0–255) in any
    channel (anti-aliasing moves a few levels); images of different sizes differ wholly."""
    first, second = decode(a), decode(b)
    if first.shape != second.shape:
        return 1.0
    distance = np.abs(first.astype(np.int16) - second.astype(np.int16)).max(axis=2)
    return float((distance > tolerance).mean())
