"""Blanking native (uncompressed) pixel data while streaming it, one frame in memory at a time.

Every stored sample is addressed by byte offset, so no numpy is needed and byte order only
matters for the fill value (0 is 0 in either order). Frames are read into one reused buffer,
the rectangles are overwritten row by row with slice assignments, and the frame is written
out; bytes after the last frame (the padding byte of an odd length) are copied as they are.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, BinaryIO, Literal, cast

from dcmscrub.dicomio.pixelbits import correct_frame, has_unused_bits
from dcmscrub.dicomio.pixelfacts import PixelFacts, PixelProblem, Rect, fill_samples

COPY_BLOCK = 1 << 20


def blank_native(
    facts: PixelFacts,
    rects: tuple[Rect, ...],
    frames: Collection[int] | None,
    src: BinaryIO,
    out: BinaryIO,
) -> int:
    """Write the pixel data element of ``src`` (tag to end) to ``out`` with ``rects`` filled
    in the frames listed in ``frames`` (all when None) and the unused high bits of every frame
    corrected (dicomio.pixelbits); return how many frames were blanked."""
    assert facts.length is not None
    src.seek(facts.element_start)
    out.write(_read_exact(src, facts.value_start - facts.element_start))
    size = facts.frame_bytes
    # swapped byte pairs are put in order, blanked and swapped back: a lone frame of odd size
    # takes the padding byte along (multi-frame odd sizes were refused by pixel_facts)
    span = size + (size & 1) if facts.swapped else size
    if span > facts.length:
        raise PixelProblem("pixels_short")
    buffer = bytearray(span)
    view = memoryview(buffer)
    patches = _row_patches(facts, rects)
    # every frame's unused high bits are corrected, also in frames with nothing to blank
    unused = has_unused_bits(facts)
    changed = 0
    for index in range(facts.number_of_frames):
        blank = bool(patches) and (frames is None or index in frames)
        if not blank and not unused:
            _copy(src, out, size)
            continue
        if cast(Any, src).readinto(buffer) != span:
            raise PixelProblem("pixels_short")
        if unused:
            correct_frame(view[:size], facts)  # 8-bit when swapped: byte order does not matter
        if blank:
            if facts.swapped:
                buffer[0::2], buffer[1::2] = buffer[1::2], buffer[0::2]
            for start, data in patches:
                buffer[start : start + len(data)] = data
            if facts.swapped:
                buffer[0::2], buffer[1::2] = buffer[1::2], buffer[0::2]
            changed += 1
        out.write(view)
    _copy(src, out, facts.length - size * facts.number_of_frames - (span - size))
    return changed


def _row_patches(facts: PixelFacts, rects: tuple[Rect, ...]) -> list[tuple[int, bytes]]:
    """(byte offset in a frame, bytes to write there) for every rectangle row and plane.

    The same list serves every frame: rectangles are the same in each.
    """
    width = facts.bits_allocated // 8
    order: Literal["little", "big"] = "little" if facts.little_endian else "big"
    signed = facts.pixel_representation == 1
    pi = facts.photometric_interpretation
    fill = fill_samples(pi, facts.samples_per_pixel, facts.bits_stored, signed)
    cells = [v.to_bytes(width, order, signed=signed and v < 0) for v in fill]
    cols = facts.columns
    patches: list[tuple[int, bytes]] = []
    if pi == "YBR_FULL_422" and facts.samples_per_pixel == 3:
        # pairs of pixels share their chroma: Y0 Y1 Cb Cr; a pair touched by a rectangle is
        # blanked whole (a rectangle grows to even columns)
        pair = cells[0] + cells[0] + cells[1] + cells[2]
        for x, y, w, h in rects:
            first, last = x // 2, (x + w - 1) // 2
            data = pair * (last - first + 1)
            patches += [(((row * cols) // 2 + first) * 4 * width, data) for row in range(y, y + h)]
        return patches
    if facts.samples_per_pixel == 1 or facts.planar_configuration == 0:
        pixel = b"".join(cells)
        step = len(pixel)
        for x, y, w, h in rects:
            data = pixel * w
            patches += [((row * cols + x) * step, data) for row in range(y, y + h)]
        return patches
    plane = facts.rows * cols * width
    for x, y, w, h in rects:
        for sample, cell in enumerate(cells):
            data = cell * w
            patches += [(sample * plane + (row * cols + x) * width, data) for row in range(y, y + h)]
    return patches


def _read_exact(src: BinaryIO, n: int) -> bytes:
    data = src.read(n)
    if len(data) != n:
        raise PixelProblem("pixels_short")
    return data


def _copy(src: BinaryIO, out: BinaryIO, n: int) -> None:
    while n > 0:
        block = src.read(min(COPY_BLOCK, n))
        if not block:
            raise PixelProblem("pixels_short")
        out.write(block)
        n -= len(block)
