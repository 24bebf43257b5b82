// Resampler: tone SNR and alias rejection from tests/vectors/resampler, paths against each other, C against C#.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Sipwire.Kernels.Native;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed unsafe class ResamplerTests
{
    private static readonly string[] s_paths = [nameof(ResamplerPath.Scalar), nameof(ResamplerPath.Vector128), nameof(ResamplerPath.Vector256)];

    private static readonly (int In, int Out)[] s_pairs =
        [(8000, 16000), (16000, 8000), (8000, 48000), (48000, 8000), (16000, 48000), (48000, 16000)];

    public static IEnumerable<string> ToneCases() => ReadCases("tone:");

    public static IEnumerable<string> AliasCases() => ReadCases("alias:");

    [TestCaseSource(nameof(ToneCases))]
    public void ToneComesThroughCleanly(string line)
    {
        string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int inRate = int.Parse(f[0], CultureInfo.InvariantCulture), outRate = int.Parse(f[1], CultureInfo.InvariantCulture);
        double freq = double.Parse(f[2], CultureInfo.InvariantCulture), amplitude = double.Parse(f[3], CultureInfo.InvariantCulture);
        double minSnr = double.Parse(f[4]["snr>=".Length..], CultureInfo.InvariantCulture);

        foreach (string path in s_paths)
        {
            var resampler = new Resampler(inRate, outRate, Enum.Parse<ResamplerPath>(path));
            short[] output = RunInFrames(resampler, Tone(inRate, freq, amplitude, inRate), inRate / 100);
            var filter = new ResamplerFilter(resampler.OutputRate / Gcd(inRate, outRate), inRate / Gcd(inRate, outRate));
            double delay = (filter.Coefficients.Length - 1) / (2.0 * filter.Up * inRate);
            double signal = 0, noise = 0;
            for (int m = outRate * 60 / 1000; m < output.Length; m++)
            {
                double reference = amplitude * Math.Sin(2 * Math.PI * freq * ((m / (double)outRate) - delay));
                signal += reference * reference;
                noise += (output[m] - reference) * (output[m] - reference);
            }

            double snr = 10 * Math.Log10(signal / noise);
            TestContext.Out.WriteLine($"{path} {inRate}->{outRate} {freq} Hz: SNR {snr:F1} dB");
            Assert.That(snr, Is.GreaterThanOrEqualTo(minSnr), $"{path} {inRate}->{outRate} {freq} Hz");
        }
    }

    [TestCaseSource(nameof(AliasCases))]
    public void ToneAboveTheOutputNyquistIsRejected(string line)
    {
        string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int inRate = int.Parse(f[0], CultureInfo.InvariantCulture), outRate = int.Parse(f[1], CultureInfo.InvariantCulture);
        double freq = double.Parse(f[2], CultureInfo.InvariantCulture), amplitude = double.Parse(f[3], CultureInfo.InvariantCulture);
        double minAttenuation = double.Parse(f[4]["atten>=".Length..], CultureInfo.InvariantCulture);

        short[] input = Tone(inRate, freq, amplitude, inRate);
        short[] output = RunInFrames(new Resampler(inRate, outRate), input, inRate / 100);
        double rmsIn = Rms(input.AsSpan(inRate * 60 / 1000));
        double rmsOut = Rms(output.AsSpan(outRate * 60 / 1000));
        double attenuation = 20 * Math.Log10(rmsIn / Math.Max(rmsOut, 1e-3));
        TestContext.Out.WriteLine($"{inRate}->{outRate} {freq} Hz: {attenuation:F1} dB");
        Assert.That(attenuation, Is.GreaterThanOrEqualTo(minAttenuation));
    }

    [Test]
    public void VectorPathsMatchScalarWithinOneStep([ValueSource(nameof(s_paths))] string path)
    {
        foreach ((int inRate, int outRate) in s_pairs)
        {
            short[] input = Noise(inRate / 5, 17);
            short[] want = RunInFrames(new Resampler(inRate, outRate, ResamplerPath.Scalar), input, input.Length);
            short[] got = RunInFrames(new Resampler(inRate, outRate, Enum.Parse<ResamplerPath>(path)), input, input.Length);
            Assert.That(MaxAbsDiff(got, want), Is.LessThanOrEqualTo(1), $"{inRate}->{outRate}");
        }
    }

    [Test]
    public void InterpolationPathsAreBitExactWithScalar([ValueSource(nameof(s_paths))] string path)
    {
        // For M = 1 the vector paths add each output's taps in the scalar order.
        foreach ((int inRate, int outRate) in s_pairs)
        {
            if (outRate % inRate != 0)
            {
                continue;
            }

            short[] input = Noise((inRate / 5) + 3, 23);
            short[] want = RunInFrames(new Resampler(inRate, outRate, ResamplerPath.Scalar), input, 77);
            short[] got = RunInFrames(new Resampler(inRate, outRate, Enum.Parse<ResamplerPath>(path)), input, 77);
            Assert.That(got, Is.EqualTo(want), $"{inRate}->{outRate}");
        }
    }

    [Test]
    public void FrameSizeDoesNotChangeTheOutput([Values(1, 7, 80, 160, 481, 960)] int frame)
    {
        foreach ((int inRate, int outRate) in s_pairs)
        {
            short[] input = Noise(inRate / 10, 5);
            short[] whole = RunInFrames(new Resampler(inRate, outRate), input, input.Length);
            short[] framed = RunInFrames(new Resampler(inRate, outRate), input, frame);
            Assert.That(framed, Is.EqualTo(whole), $"{inRate}->{outRate}");
        }
    }

    [Test]
    public void TenMillisecondFramesGiveExactFrameSizes()
    {
        foreach ((int inRate, int outRate) in s_pairs)
        {
            var resampler = new Resampler(inRate, outRate);
            for (int i = 0; i < 5; i++)
            {
                Assert.That(resampler.Process(new short[inRate / 100], new short[outRate / 100]), Is.EqualTo(outRate / 100));
            }
        }
    }

    [Test]
    public void CLibraryMatchesCSharpWithinOneStep()
    {
        NativeKernels.RequireLibrary();

        // The generated struct must match the library's layout (the bindings are not stale).
        Assert.That(ResamplerNative.sw_resampler_get_size(), Is.EqualTo(sizeof(sw_resampler)));
        foreach ((int inRate, int outRate) in s_pairs)
        {
            short[] input = Noise(inRate / 5, 3);
            short[] want = RunInFrames(new Resampler(inRate, outRate, ResamplerPath.Scalar), input, inRate / 100);
            var got = new short[want.Length];
            sw_resampler state = default;
            sw_resampler* st = &state;
            int total = 0;
            fixed (short* pin = input)
            fixed (short* pout = got)
            {
                Assert.That(ResamplerNative.sw_resampler_init(st, inRate, outRate), Is.Zero);
                for (int pos = 0; pos < input.Length; pos += inRate / 100)
                {
                    int written;
                    Assert.That(ResamplerNative.sw_resampler_process(st, pin + pos, inRate / 100, pout + total, got.Length - total, &written), Is.Zero);
                    total += written;
                }

                Assert.That(ResamplerNative.sw_resampler_init(st, 44100, outRate), Is.EqualTo(-1), "unsupported rate");
            }

            Assert.That(total, Is.EqualTo(want.Length));
            Assert.That(MaxAbsDiff(got, want), Is.LessThanOrEqualTo(1), $"{inRate}->{outRate}");
        }
    }

    [Test]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Resampler(44100, 8000));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Resampler(8000, 0));
        var resampler = new Resampler(8000, 16000);
        Assert.Throws<ArgumentException>(() => resampler.Process(new short[80], new short[159]));

        // The rejected call consumed nothing: the next output equals a fresh resampler's.
        short[] input = Noise(80, 9);
        var a = new short[160];
        var b = new short[160];
        resampler.Process(input, a);
        new Resampler(8000, 16000).Process(input, b);
        Assert.That(a, Is.EqualTo(b));
    }

    private static IEnumerable<string> ReadCases(string key) =>
        File.ReadAllLines(Path.Combine(KernelVectors.Directory, "resampler", "resampler.expect"))
            .Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => l[key.Length..].Trim());

    private static short[] RunInFrames(Resampler resampler, short[] input, int frame)
    {
        var output = new List<short>();
        for (int pos = 0; pos < input.Length; pos += frame)
        {
            ReadOnlySpan<short> block = input.AsSpan(pos, Math.Min(frame, input.Length - pos));
            var o = new short[resampler.GetOutputLength(block.Length)];
            Assert.That(resampler.Process(block, o), Is.EqualTo(o.Length));
            output.AddRange(o);
        }

        return [.. output];
    }

    private static short[] Tone(int rate, double freq, double amplitude, int length)
    {
        var x = new short[length];
        for (int n = 0; n < length; n++)
        {
            x[n] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * freq * n / rate));
        }

        return x;
    }

    private static short[] Noise(int length, int seed)
    {
        var random = new Random(seed);
        var x = new short[length];
        for (int n = 0; n < length; n++)
        {
            x[n] = (short)random.Next(-20000, 20001);
        }

        return x;
    }

    private static double Rms(ReadOnlySpan<short> x)
    {
        double sum = 0;
        foreach (short v in x)
        {
            sum += v * (double)v;
        }

        return Math.Sqrt(sum / Math.Max(1, x.Length));
    }

    private static int MaxAbsDiff(short[] a, short[] b)
    {
        Assert.That(a, Has.Length.EqualTo(b.Length));
        int max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
