// G.711 A-law and mu-law companding (ITU-T G.711), bit-exact to the ITU-T G.191 reference.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sipwire.Dsp;

/// <summary>
/// G.711 companding of 16-bit linear PCM to 8-bit A-law and mu-law codes and back, bit-exact to
/// the ITU-T G.191 software tool library (<c>ulaw_compress</c>, <c>ulaw_expand</c>,
/// <c>alaw_compress</c>, <c>alaw_expand</c>) and to <c>native/src/g711.c</c>.
/// </summary>
/// <remarks>
/// PCM is 16-bit two's complement, left-justified: the encoders use the 14 (mu-law) or 13 (A-law)
/// most significant bits. Negative samples are folded with the one's complement as G.191 does, so
/// the mu-law encoder differs from the Sun/audioop variant on some negative inputs next to segment
/// edges. The span methods pick the widest SIMD path the CPU accelerates (Vector256, Vector128 on
/// x64 and arm64 AdvSimd) and fall back to the scalar reference; every path gives the same bytes.
/// All methods are stateless, allocation-free and thread-safe.
/// </remarks>
public static partial class G711
{
    /// <summary>Encodes linear PCM to mu-law codes (G.191 <c>ulaw_compress</c>).</summary>
    /// <param name="pcm">Samples to encode.</param>
    /// <param name="codes">Receives one code per sample; at least <paramref name="pcm"/>.Length long and not overlapping it.</param>
    /// <exception cref="ArgumentException"><paramref name="codes"/> is too short or overlaps <paramref name="pcm"/>.</exception>
    public static void EncodeULaw(ReadOnlySpan<short> pcm, Span<byte> codes)
    {
        CheckEncodeArguments(pcm, codes);
        if (Vector256.IsHardwareAccelerated && pcm.Length >= Vector256BlockSamples)
        {
            EncodeULawVector256(pcm, codes);
        }
        else if (Vector128.IsHardwareAccelerated && pcm.Length >= Vector128BlockSamples)
        {
            EncodeULawVector128(pcm, codes);
        }
        else
        {
            EncodeULawScalar(pcm, codes);
        }
    }

    /// <summary>Decodes mu-law codes to linear PCM (G.191 <c>ulaw_expand</c>); full scale is +-32124.</summary>
    /// <param name="codes">Codes to decode.</param>
    /// <param name="pcm">Receives one sample per code; at least <paramref name="codes"/>.Length long and not overlapping it.</param>
    /// <exception cref="ArgumentException"><paramref name="pcm"/> is too short or overlaps <paramref name="codes"/>.</exception>
    public static void DecodeULaw(ReadOnlySpan<byte> codes, Span<short> pcm)
    {
        CheckDecodeArguments(codes, pcm);
        if (Vector256.IsHardwareAccelerated && codes.Length >= Vector256BlockSamples)
        {
            DecodeULawVector256(codes, pcm);
        }
        else if (Vector128.IsHardwareAccelerated && codes.Length >= Vector128BlockSamples)
        {
            DecodeULawVector128(codes, pcm);
        }
        else
        {
            DecodeULawScalar(codes, pcm);
        }
    }

    /// <summary>Encodes linear PCM to A-law codes (G.191 <c>alaw_compress</c>, even bits inverted).</summary>
    /// <param name="pcm">Samples to encode.</param>
    /// <param name="codes">Receives one code per sample; at least <paramref name="pcm"/>.Length long and not overlapping it.</param>
    /// <exception cref="ArgumentException"><paramref name="codes"/> is too short or overlaps <paramref name="pcm"/>.</exception>
    public static void EncodeALaw(ReadOnlySpan<short> pcm, Span<byte> codes)
    {
        CheckEncodeArguments(pcm, codes);
        if (Vector256.IsHardwareAccelerated && pcm.Length >= Vector256BlockSamples)
        {
            EncodeALawVector256(pcm, codes);
        }
        else if (Vector128.IsHardwareAccelerated && pcm.Length >= Vector128BlockSamples)
        {
            EncodeALawVector128(pcm, codes);
        }
        else
        {
            EncodeALawScalar(pcm, codes);
        }
    }

    /// <summary>Decodes A-law codes to linear PCM (G.191 <c>alaw_expand</c>); full scale is +-32256.</summary>
    /// <param name="codes">Codes to decode.</param>
    /// <param name="pcm">Receives one sample per code; at least <paramref name="codes"/>.Length long and not overlapping it.</param>
    /// <exception cref="ArgumentException"><paramref name="pcm"/> is too short or overlaps <paramref name="codes"/>.</exception>
    public static void DecodeALaw(ReadOnlySpan<byte> codes, Span<short> pcm)
    {
        CheckDecodeArguments(codes, pcm);
        if (Vector256.IsHardwareAccelerated && codes.Length >= Vector256BlockSamples)
        {
            DecodeALawVector256(codes, pcm);
        }
        else if (Vector128.IsHardwareAccelerated && codes.Length >= Vector128BlockSamples)
        {
            DecodeALawVector128(codes, pcm);
        }
        else
        {
            DecodeALawScalar(codes, pcm);
        }
    }

    /// <summary>Encodes one sample to mu-law (G.191 <c>ulaw_compress</c>).</summary>
    /// <param name="sample">16-bit left-justified PCM.</param>
    /// <returns>The mu-law code.</returns>
    public static byte EncodeULaw(short sample) => EncodeULawSample(sample);

    /// <summary>Decodes one mu-law code (G.191 <c>ulaw_expand</c>).</summary>
    /// <param name="code">The mu-law code.</param>
    /// <returns>The 16-bit sample.</returns>
    public static short DecodeULaw(byte code) => DecodeULawSample(code);

    /// <summary>Encodes one sample to A-law (G.191 <c>alaw_compress</c>).</summary>
    /// <param name="sample">16-bit left-justified PCM.</param>
    /// <returns>The A-law code.</returns>
    public static byte EncodeALaw(short sample) => EncodeALawSample(sample);

    /// <summary>Decodes one A-law code (G.191 <c>alaw_expand</c>).</summary>
    /// <param name="code">The A-law code.</param>
    /// <returns>The 16-bit sample.</returns>
    public static short DecodeALaw(byte code) => DecodeALawSample(code);

    private static void CheckEncodeArguments(ReadOnlySpan<short> pcm, Span<byte> codes)
    {
        if (codes.Length < pcm.Length)
        {
            throw new ArgumentException($"The code buffer holds {codes.Length} bytes; {pcm.Length} samples need {pcm.Length}.", nameof(codes));
        }

        // The SIMD paths rewrite the last block, which needs input and output apart.
        if (MemoryMarshal.AsBytes(pcm).Overlaps(codes[..pcm.Length]))
        {
            throw new ArgumentException("The code buffer overlaps the PCM buffer.", nameof(codes));
        }
    }

    private static void CheckDecodeArguments(ReadOnlySpan<byte> codes, Span<short> pcm)
    {
        if (pcm.Length < codes.Length)
        {
            throw new ArgumentException($"The PCM buffer holds {pcm.Length} samples; {codes.Length} codes need {codes.Length}.", nameof(pcm));
        }

        if (codes.Overlaps(MemoryMarshal.AsBytes(pcm[..codes.Length])))
        {
            throw new ArgumentException("The PCM buffer overlaps the code buffer.", nameof(pcm));
        }
    }
}
