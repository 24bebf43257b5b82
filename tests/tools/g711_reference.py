#!/usr/bin/env python3
# Oracle for the G.711 vectors in tests/vectors/g711/, written from ITU-T G.191 (STL) g711.c.
# SPDX-License-Identifier: MIT
"""Independent G.711 oracle: a literal transcription of the ITU-T G.191 Software Tool Library
routines alaw_compress, alaw_expand, ulaw_compress and ulaw_expand (module g711.c). It is the
oracle, never the code under test: it shares no code with managed/ or native/.

PCM is 16-bit two's complement, left-justified (G.191 convention): A-law uses the 12 most
significant bits of the magnitude, mu-law the 14 most significant bits; negative samples are
folded with the one's complement (~x), not with negation (this is where G.191 differs from the
Sun/audioop encoder).

Usage: g711_reference.py OUTDIR     writes the vector files listed in OUTDIR/README.
       g711_reference.py --check    prints the known values and the FNV-1a hash.
"""

import os
import struct
import sys


def _sshr(value, bits):
    """Arithmetic right shift of a C short (Python's >> on int is already arithmetic)."""
    return value >> bits


def alaw_compress(lin):
    """G.191 alaw_compress for one 16-bit sample; returns the A-law octet."""
    # ix = linbuf < 0 ? (~linbuf) >> 4 : linbuf >> 4;   0 <= ix < 2048
    ix = _sshr(~lin, 4) if lin < 0 else _sshr(lin, 4)
    if ix > 15:                    # exponent = 0 for ix <= 15
        iexp = 1
        while ix > 16 + 15:        # find mantissa and exponent
            ix >>= 1
            iexp += 1
        ix -= 16                   # remove the leading '1'
        ix += iexp << 4
    if lin >= 0:
        ix |= 0x0080               # sign bit
    return (ix ^ 0x0055) & 0xFF    # toggle even bits


def alaw_expand(log):
    """G.191 alaw_expand for one A-law octet; returns the 16-bit sample."""
    ix = log ^ 0x0055
    ix &= 0x007F                   # remove sign bit
    iexp = ix >> 4
    mant = ix & 0x000F
    if iexp > 0:
        mant = mant + 16           # leading '1' when the exponent is > 0
    mant = (mant << 4) + 0x0008    # left-justify, add half a quantisation step
    if iexp > 1:
        mant = mant << (iexp - 1)
    return mant if log > 127 else -mant


def ulaw_compress(lin):
    """G.191 ulaw_compress for one 16-bit sample; returns the mu-law octet."""
    # 33 is the difference between the A-law and mu-law thresholds.
    absno = (_sshr(~lin, 2) + 33) if lin < 0 else (_sshr(lin, 2) + 33)
    if absno > 0x1FFF:
        absno = 0x1FFF
    i = absno >> 6
    segno = 1
    while i != 0:
        segno += 1
        i >>= 1
    high_nibble = 0x0008 - segno
    low_nibble = (absno >> segno) & 0x000F
    low_nibble = 0x000F - low_nibble
    log = (high_nibble << 4) | low_nibble
    if lin >= 0:
        log |= 0x0080
    return log & 0xFF


def ulaw_expand(log):
    """G.191 ulaw_expand for one mu-law octet; returns the 16-bit sample."""
    sign = -1 if log < 0x0080 else 1
    mantissa = ~log                # one's complement of the code
    exponent = (mantissa >> 4) & 0x0007
    segment = exponent + 1
    mantissa = mantissa & 0x000F
    step = 4 << segment            # position of the LSB (one quantisation step)
    return sign * ((0x0080 << exponent) + step * mantissa + step // 2 - 4 * 33)


def fnv1a32(data):
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def check():
    known_enc = {0: 0xFF, -1: 0x7F, 1000: 0xCE, -1000: 0x4E, 32767: 0x80, -32768: 0x00}
    known_dec = {0x00: -32124, 0x80: 32124, 0xCE: 988}
    ok = True
    for x, want in known_enc.items():
        got = ulaw_compress(x)
        ok &= got == want
        print(f"ulaw_compress({x}) = 0x{got:02X} (want 0x{want:02X})")
    for c, want in known_dec.items():
        got = ulaw_expand(c)
        ok &= got == want
        print(f"ulaw_expand(0x{c:02X}) = {got} (want {want})")
    h = fnv1a32(bytes(ulaw_compress(x) for x in range(-32768, 32768, 7)))
    ok &= h == 0x274EE169
    print(f"FNV-1a over ulaw_compress(-32768..32767 step 7) = 0x{h:08X} (want 0x274EE169)")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def write(outdir):
    os.makedirs(outdir, exist_ok=True)
    pcm_all = range(-32768, 32768)
    with open(os.path.join(outdir, "pcm_all.s16le"), "wb") as f:
        f.write(b"".join(struct.pack("<h", x) for x in pcm_all))
    with open(os.path.join(outdir, "pcm_all.ulaw"), "wb") as f:
        f.write(bytes(ulaw_compress(x) for x in pcm_all))
    with open(os.path.join(outdir, "pcm_all.alaw"), "wb") as f:
        f.write(bytes(alaw_compress(x) for x in pcm_all))
    with open(os.path.join(outdir, "codes_all.u8"), "wb") as f:
        f.write(bytes(range(256)))
    with open(os.path.join(outdir, "codes_all.ulaw.s16le"), "wb") as f:
        f.write(b"".join(struct.pack("<h", ulaw_expand(c)) for c in range(256)))
    with open(os.path.join(outdir, "codes_all.alaw.s16le"), "wb") as f:
        f.write(b"".join(struct.pack("<h", alaw_expand(c)) for c in range(256)))


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--check":
        sys.exit(check())
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    write(sys.argv[1])
