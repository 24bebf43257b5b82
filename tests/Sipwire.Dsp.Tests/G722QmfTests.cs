// G.722 QMF vector paths against the scalar reference on seeded random data at lengths that hit the vector tails.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed class G722QmfTests
{
    private static readonly int[] s_pairs = [0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 80, 160];

    [Test]
    public void AnalysisMatchesScalar([Values(nameof(G722QmfPath.Vector128), nameof(G722QmfPath.Vector256))] string pathName, [ValueSource(nameof(s_pairs))] int pairs)
    {
        var random = new Random(722 + pairs);
        var pcm = new short[2 * pairs];
        for (int i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        }

        int[] history = RandomHistory(random);
        (int[] aWant, int[] bWant, int[] lowWant, int[] highWant) = Buffers(pairs, history);
        (int[] aGot, int[] bGot, int[] lowGot, int[] highGot) = Buffers(pairs, history);

        G722Qmf.Analyze(G722QmfPath.Scalar, pcm, aWant, bWant, lowWant, highWant);
        G722Qmf.Analyze(Enum.Parse<G722QmfPath>(pathName), pcm, aGot, bGot, lowGot, highGot);

        Assert.That(aGot, Is.EqualTo(aWant));
        Assert.That(bGot, Is.EqualTo(bWant));
        Assert.That(lowGot, Is.EqualTo(lowWant));
        Assert.That(highGot, Is.EqualTo(highWant));
    }

    [Test]
    public void SynthesisMatchesScalarIncludingSaturation([Values(nameof(G722QmfPath.Vector128), nameof(G722QmfPath.Vector256))] string pathName, [ValueSource(nameof(s_pairs))] int pairs)
    {
        var random = new Random(227 + pairs);
        var x = new int[G722Qmf.History + pairs];
        var y = new int[G722Qmf.History + pairs];
        for (int i = 0; i < x.Length; i++)
        {
            // Sums and differences of two 15-bit band signals; full range drives the output into the limiter.
            int rl = random.Next(-16384, 16384);
            int rh = random.Next(-16384, 16384);
            x[i] = rl + rh;
            y[i] = rl - rh;
        }

        var want = new short[(2 * pairs) + 1];
        var got = new short[(2 * pairs) + 1];
        want[^1] = got[^1] = 0x1234; // guard past the end must survive
        G722Qmf.Synthesize(G722QmfPath.Scalar, x, y, want.AsSpan(0, 2 * pairs));
        G722Qmf.Synthesize(Enum.Parse<G722QmfPath>(pathName), x, y, got.AsSpan(0, 2 * pairs));

        Assert.That(got, Is.EqualTo(want));
    }

    private static int[] RandomHistory(Random random)
    {
        var history = new int[2 * G722Qmf.History];
        for (int i = 0; i < history.Length; i++)
        {
            history[i] = random.Next(short.MinValue, short.MaxValue + 1);
        }

        return history;
    }

    private static (int[] A, int[] B, int[] Low, int[] High) Buffers(int pairs, int[] history)
    {
        var a = new int[G722Qmf.History + pairs + 1];
        var b = new int[G722Qmf.History + pairs + 1];
        history.AsSpan(0, G722Qmf.History).CopyTo(a);
        history.AsSpan(G722Qmf.History).CopyTo(b);
        return (a, b, new int[pairs + 1], new int[pairs + 1]);
    }
}
