// The G.711 implementations under test, so each test runs over every path by name.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dsp.Tests;

/// <summary>A G.711 implementation: the public dispatcher or one internal path called directly.</summary>
public enum G711Path
{
    /// <summary>The public API, which picks the widest accelerated path.</summary>
    Dispatch,

    /// <summary>The scalar G.191 rendering.</summary>
    Scalar,

    /// <summary>The Vector128 path (software-emulated when the CPU does not accelerate it).</summary>
    Vector128,

    /// <summary>The Vector256 path (software-emulated when the CPU does not accelerate it).</summary>
    Vector256,
}

/// <summary>Calls a G.711 operation on a chosen path.</summary>
internal static class G711Paths
{
    public static void Encode(G711Path path, bool aLaw, ReadOnlySpan<short> pcm, Span<byte> codes)
    {
        switch (path)
        {
            case G711Path.Dispatch when aLaw: G711.EncodeALaw(pcm, codes); break;
            case G711Path.Dispatch: G711.EncodeULaw(pcm, codes); break;
            case G711Path.Scalar when aLaw: G711.EncodeALawScalar(pcm, codes); break;
            case G711Path.Scalar: G711.EncodeULawScalar(pcm, codes); break;
            case G711Path.Vector128 when aLaw: G711.EncodeALawVector128(pcm, codes); break;
            case G711Path.Vector128: G711.EncodeULawVector128(pcm, codes); break;
            case G711Path.Vector256 when aLaw: G711.EncodeALawVector256(pcm, codes); break;
            case G711Path.Vector256: G711.EncodeULawVector256(pcm, codes); break;
            default: throw new ArgumentOutOfRangeException(nameof(path));
        }
    }

    public static void Decode(G711Path path, bool aLaw, ReadOnlySpan<byte> codes, Span<short> pcm)
    {
        switch (path)
        {
            case G711Path.Dispatch when aLaw: G711.DecodeALaw(codes, pcm); break;
            case G711Path.Dispatch: G711.DecodeULaw(codes, pcm); break;
            case G711Path.Scalar when aLaw: G711.DecodeALawScalar(codes, pcm); break;
            case G711Path.Scalar: G711.DecodeULawScalar(codes, pcm); break;
            case G711Path.Vector128 when aLaw: G711.DecodeALawVector128(codes, pcm); break;
            case G711Path.Vector128: G711.DecodeULawVector128(codes, pcm); break;
            case G711Path.Vector256 when aLaw: G711.DecodeALawVector256(codes, pcm); break;
            case G711Path.Vector256: G711.DecodeULawVector256(codes, pcm); break;
            default: throw new ArgumentOutOfRangeException(nameof(path));
        }
    }
}
