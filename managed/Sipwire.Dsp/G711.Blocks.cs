// G.711 block loops shared by the Vector128 and Vector256 paths: whole blocks, then one overlapping tail block.
// SPDX-License-Identifier: MIT

using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sipwire.Dsp;

public static partial class G711
{
    /// <summary>One G.711 direction: its scalar reference and its 16- and 32-sample vector blocks.</summary>
    private interface IKernel<TIn, TOut>
    {
        static abstract void Scalar(ReadOnlySpan<TIn> input, Span<TOut> output);

        static abstract void Block128(ref TIn src, ref TOut dst, nuint i);

        static abstract void Block256(ref TIn src, ref TOut dst, nuint i);
    }

    // The kernels are structs so the JIT specializes and inlines each loop for its kernel.
    private readonly struct ULawEncoder : IKernel<short, byte>
    {
        public static void Scalar(ReadOnlySpan<short> input, Span<byte> output) => EncodeULawScalar(input, output);

        public static void Block128(ref short src, ref byte dst, nuint i) => EncodeULawBlock(ref src, ref dst, i);

        public static void Block256(ref short src, ref byte dst, nuint i) => EncodeULawBlock256(ref src, ref dst, i);
    }

    private readonly struct ULawDecoder : IKernel<byte, short>
    {
        public static void Scalar(ReadOnlySpan<byte> input, Span<short> output) => DecodeULawScalar(input, output);

        public static void Block128(ref byte src, ref short dst, nuint i) => DecodeULawBlock(ref src, ref dst, i);

        public static void Block256(ref byte src, ref short dst, nuint i) => DecodeULawBlock256(ref src, ref dst, i);
    }

    private readonly struct ALawEncoder : IKernel<short, byte>
    {
        public static void Scalar(ReadOnlySpan<short> input, Span<byte> output) => EncodeALawScalar(input, output);

        public static void Block128(ref short src, ref byte dst, nuint i) => EncodeALawBlock(ref src, ref dst, i);

        public static void Block256(ref short src, ref byte dst, nuint i) => EncodeALawBlock256(ref src, ref dst, i);
    }

    private readonly struct ALawDecoder : IKernel<byte, short>
    {
        public static void Scalar(ReadOnlySpan<byte> input, Span<short> output) => DecodeALawScalar(input, output);

        public static void Block128(ref byte src, ref short dst, nuint i) => DecodeALawBlock(ref src, ref dst, i);

        public static void Block256(ref byte src, ref short dst, nuint i) => DecodeALawBlock256(ref src, ref dst, i);
    }

    /// <summary>
    /// Vector128 blocks of 16; the final block is recomputed over the last 16 samples, so input and
    /// output must not overlap (the public API checks). Shorter inputs take the scalar path.
    /// </summary>
    private static void RunVector128<TKernel, TIn, TOut>(ReadOnlySpan<TIn> input, Span<TOut> output)
        where TKernel : struct, IKernel<TIn, TOut>
    {
        if (input.Length < Vector128BlockSamples)
        {
            TKernel.Scalar(input, output);
            return;
        }

        _ = output[input.Length - 1];
        ref TIn src = ref MemoryMarshal.GetReference(input);
        ref TOut dst = ref MemoryMarshal.GetReference(output);
        nuint last = (nuint)(input.Length - Vector128BlockSamples);
        for (nuint i = 0; i < last; i += Vector128BlockSamples)
        {
            TKernel.Block128(ref src, ref dst, i);
        }

        TKernel.Block128(ref src, ref dst, last);
    }

    /// <summary>
    /// Vector256 blocks of 32; the tail is redone as one overlapping block, a Vector128 block when it
    /// fits, so an 80-sample frame is exactly 2 x 32 + 16. Input and output must not overlap.
    /// </summary>
    private static void RunVector256<TKernel, TIn, TOut>(ReadOnlySpan<TIn> input, Span<TOut> output)
        where TKernel : struct, IKernel<TIn, TOut>
    {
        if (input.Length < Vector256BlockSamples)
        {
            TKernel.Scalar(input, output);
            return;
        }

        _ = output[input.Length - 1];
        ref TIn src = ref MemoryMarshal.GetReference(input);
        ref TOut dst = ref MemoryMarshal.GetReference(output);
        nuint n = (nuint)input.Length;
        nuint i = 0;
        for (; i + Vector256BlockSamples <= n; i += Vector256BlockSamples)
        {
            TKernel.Block256(ref src, ref dst, i);
        }

        if (i < n)
        {
            if (n - i <= Vector128BlockSamples)
            {
                TKernel.Block128(ref src, ref dst, n - Vector128BlockSamples);
            }
            else
            {
                TKernel.Block256(ref src, ref dst, n - Vector256BlockSamples);
            }
        }
    }
}
