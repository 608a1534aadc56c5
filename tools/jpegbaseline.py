"""A small JPEG baseline (process 1) encoder in numpy, for synthetic test data only.

Grey images are one component; RGB images become YCbCr 4:2:2 (DICOM YBR_FULL_422). Entropy
coding uses fixed-length Huffman codes (every AC symbol 8 bits, every DC category 4 bits):
valid baseline JPEG that every decoder reads, though ~1.5x larger than with optimised tables.
Everything is vectorised so an 800x600 frame takes tens of milliseconds, not seconds.
"""

from __future__ import annotations

import struct

import numpy as np

_LUMA_Q = np.array(
    [
        [16, 11, 10, 16, 24, 40, 51, 61],
        [12, 12, 14, 19, 26, 58, 60, 55],
        [14, 13, 16, 24, 40, 57, 69, 56],
        [14, 17, 22, 29, 51, 87, 80, 62],
        [18, 22, 37, 56, 68, 109, 103, 77],
        [24, 35, 55, 64, 81, 104, 113, 92],
        [49, 64, 78, 87, 103, 121, 120, 101],
        [72, 92, 95, 98, 112, 100, 103, 99],
    ]
)
_CHROMA_Q = np.full((8, 8), 99)
_CHROMA_Q[:4, :4] = [[17, 18, 24, 47], [18, 21, 26, 66], [24, 26, 56, 99], [47, 66, 99, 99]]
_ZIGZAG = np.array(
    sorted(range(64), key=lambda i: (i // 8 + i % 8, (i // 8) if (i // 8 + i % 8) % 2 else (i % 8)))
)
_N = np.arange(8)
_DCT = np.sqrt(2 / 8) * np.cos((2 * _N[None, :] + 1) * _N[:, None] * np.pi / 16)
_DCT[0] /= np.sqrt(2)
# the AC symbols a baseline scan can need: EOB, ZRL, and run/size with size 1..10
_AC_SYMBOLS = np.array([0x00, 0xF0] + [(r << 4) | s for r in range(16) for s in range(1, 11)])
_AC_CODE = np.zeros(256, np.int64)
_AC_CODE[np.sort(_AC_SYMBOLS)] = np.arange(len(_AC_SYMBOLS))


def _quant(table: np.ndarray, quality: int) -> np.ndarray:
    scale = 5000 / quality if quality < 50 else 200 - 2 * quality
    return np.clip((table * scale + 50) // 100, 1, 255).astype(np.int64)


def _blocks(plane: np.ndarray) -> np.ndarray:
    """(by, bx, 8, 8) blocks of a plane whose sides are multiples of 8."""
    h, w = plane.shape
    return plane.reshape(h // 8, 8, w // 8, 8).swapaxes(1, 2)


def _coefficients(plane: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Quantised DCT coefficients in zigzag order, (by, bx, 64)."""
    b = _blocks(plane.astype(np.float64) - 128)
    d = _DCT @ b @ _DCT.T
    quantised = np.round(d / q).astype(np.int64)
    return quantised.reshape(*quantised.shape[:2], 64)[..., _ZIGZAG]


def _size(v: np.ndarray) -> np.ndarray:
    a = np.abs(v)
    s = np.zeros(v.shape, np.int64)
    nz = a > 0
    s[nz] = np.floor(np.log2(a[nz])).astype(np.int64) + 1
    return s


def _bits(v: np.ndarray, s: np.ndarray) -> np.ndarray:
    return np.where(v >= 0, v, v + (1 << s) - 1)


def _entropy(coeffs: np.ndarray, comp: np.ndarray) -> bytes:
    """Huffman-code blocks ``coeffs`` (n, 64) in scan order; ``comp`` gives each one's component."""
    n = len(coeffs)
    dc = coeffs[:, 0].copy()
    diff = np.empty(n, np.int64)
    for c in np.unique(comp):
        idx = np.nonzero(comp == c)[0]
        diff[idx] = np.diff(dc[idx], prepend=0)
    ds = _size(diff)
    # events: (block, order in block, value, length)
    ev_block = [np.arange(n)]
    ev_order = [np.full(n, -1)]
    ev_value = [(ds << ds) | _bits(diff, ds)]
    ev_len = [4 + ds]
    ac = coeffs[:, 1:]
    blk, pos = np.nonzero(ac)
    pos = pos + 1
    prev = np.zeros(len(pos), np.int64)
    same = np.r_[False, blk[1:] == blk[:-1]]
    prev[same] = pos[:-1][same[1:]]
    run = pos - prev - 1
    zrl = run // 16
    run %= 16
    v = ac[blk, pos - 1]
    s = _size(v)
    ev_block.append(blk)
    ev_order.append(2 * pos)
    ev_value.append((_AC_CODE[(run << 4) | s] << s) | _bits(v, s))
    ev_len.append(8 + s)
    zi = np.repeat(np.arange(len(pos)), zrl)
    ev_block.append(blk[zi])
    ev_order.append(2 * pos[zi] - 1)
    ev_value.append(np.full(len(zi), _AC_CODE[0xF0]))
    ev_len.append(np.full(len(zi), 8))
    last = np.zeros(n, np.int64)
    np.maximum.at(last, blk, pos)
    eob = np.nonzero(last < 63)[0]
    ev_block.append(eob)
    ev_order.append(np.full(len(eob), 200))
    ev_value.append(np.full(len(eob), _AC_CODE[0x00]))
    ev_len.append(np.full(len(eob), 8))
    block, order = np.concatenate(ev_block), np.concatenate(ev_order)
    sort = np.lexsort((order, block))
    value, length = np.concatenate(ev_value)[sort], np.concatenate(ev_len)[sort]
    j = np.arange(32)
    bits = (value[:, None] >> (length[:, None] - 1 - j)) & 1
    flat = bits[j[None, :] < length[:, None]].astype(np.uint8)
    pad = (-len(flat)) % 8
    packed = np.packbits(np.r_[flat, np.ones(pad, np.uint8)]).tobytes()
    return packed.replace(b"\xff", b"\xff\x00")


def _segment(marker: int, body: bytes) -> bytes:
    return struct.pack(">HH", marker, len(body) + 2) + body


def encode(image: np.ndarray, quality: int = 90) -> bytes:
    """A JPEG baseline codestream of ``image`` (uint8, (rows, cols) or (rows, cols, 3) RGB)."""
    rows, cols = image.shape[:2]
    colour = image.ndim == 3
    mcu_w = 16 if colour else 8
    ph, pw = -rows % 8, -cols % mcu_w
    img = np.pad(image, ((0, ph), (0, pw)) + (((0, 0),) if colour else ()), mode="edge").astype(np.float64)
    lq, cq = _quant(_LUMA_Q, quality), _quant(_CHROMA_Q, quality)
    if colour:
        r, g, b = img[..., 0], img[..., 1], img[..., 2]
        y = 0.299 * r + 0.587 * g + 0.114 * b
        cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
        cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b
        cb = (cb[:, 0::2] + cb[:, 1::2]) / 2
        cr = (cr[:, 0::2] + cr[:, 1::2]) / 2
        yc = _coefficients(np.clip(np.round(y), 0, 255), lq)
        cbc = _coefficients(np.clip(np.round(cb), 0, 255), cq)
        crc = _coefficients(np.clip(np.round(cr), 0, 255), cq)
        by, bx = cbc.shape[:2]
        # MCU: Y(left), Y(right), Cb, Cr
        mcu = np.stack([yc[:, 0::2], yc[:, 1::2], cbc, crc], axis=2).reshape(by * bx * 4, 64)
        comp = np.tile([0, 0, 1, 2], by * bx)
        scan = _entropy(mcu, comp)
        ncomp, sampling = 3, [(1, 0x21, 0), (2, 0x11, 1), (3, 0x11, 1)]
    else:
        yc = _coefficients(img, lq)
        scan = _entropy(yc.reshape(-1, 64), np.zeros(yc.shape[0] * yc.shape[1], np.int64))
        ncomp, sampling = 1, [(1, 0x11, 0)]
    out = b"\xff\xd8" + _segment(0xFFE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    out += _segment(0xFFDB, b"\x00" + bytes(lq.reshape(64)[_ZIGZAG].tolist()))
    if colour:
        out += _segment(0xFFDB, b"\x01" + bytes(cq.reshape(64)[_ZIGZAG].tolist()))
    sof = struct.pack(">BHHB", 8, rows, cols, ncomp) + b"".join(struct.pack(">BBB", *c) for c in sampling)
    out += _segment(0xFFC0, sof)
    dc_bits = bytes([0, 0, 0, 12] + [0] * 12)
    ac_bits = bytes([0] * 7 + [len(_AC_SYMBOLS)] + [0] * 8)
    out += _segment(0xFFC4, b"\x00" + dc_bits + bytes(range(12)))
    out += _segment(0xFFC4, b"\x10" + ac_bits + bytes(np.sort(_AC_SYMBOLS).tolist()))
    sos = bytes([ncomp]) + b"".join(bytes([c[0], 0x00]) for c in sampling) + b"\x00\x3f\x00"
    out += _segment(0xFFDA, sos) + scan + b"\xff\xd9"
    return out
