// In-band DTMF detection against ITU-T Q.23 frequencies and Q.24 limits (frequency, twist, timing, level, talk-off), and the tone generator.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NUnit.Framework;
using Sipwire.Dsp;

namespace Sipwire.Media.Tests;

[TestFixture]
public sealed class DtmfDetectorTests
{
    private static readonly Dictionary<char, (double Low, double High)> s_pairs = Vectors.ReadKeyValues("dtmf/q23-frequencies.txt")
        .Select(p => p.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .ToDictionary(f => f[0][0], f => (double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture)));

    private static readonly Dictionary<string, double> s_limits = Vectors.ReadKeyValues("dtmf/q24-limits.txt")
        .ToDictionary(p => p.Key, p => double.Parse(p.Value, CultureInfo.InvariantCulture));

    private static double Peak(double dbm0) => 32768 * Math.Pow(10, (dbm0 - 3.14) / 20);

    /// <summary>Appends a two-tone burst (independent of the generator under test).</summary>
    private static void Tone(List<short> signal, double low, double high, double lowDbm0, double highDbm0, int ms, double lowFactor = 1, double highFactor = 1)
    {
        int n = ms * 8;
        double a = Peak(lowDbm0);
        double b = Peak(highDbm0);
        for (int i = 0; i < n; i++)
        {
            double v = (a * Math.Sin(2 * Math.PI * low * lowFactor * i / 8000)) + (b * Math.Sin(2 * Math.PI * high * highFactor * i / 8000));
            signal.Add((short)Math.Round(v));
        }
    }

    private static void Silence(List<short> signal, int ms) => signal.AddRange(new short[ms * 8]);

    private static string Detect(IReadOnlyList<short> signal, int chunk = 160)
    {
        var detector = new DtmfDetector();
        short[] x = signal.ToArray();
        char[] digits = new char[64];
        var found = new List<char>();
        for (int i = 0; i < x.Length; i += chunk)
        {
            int n = detector.Process(x.AsSpan(i, Math.Min(chunk, x.Length - i)), digits);
            found.AddRange(digits.Take(n));
        }

        return new string(found.ToArray());
    }

    public static IEnumerable<TestCaseData> SharedVectorCases() => Vectors.ReadKeyValues("dtmf/detect.txt")
        .Select(p => p.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Select(f => new TestCaseData(f[0], f[1] == "-" ? "" : f[1]).SetName($"SharedVector({f[0]})"));

    /// <summary>The PCM vectors shared with native/tests/test_dtmf.c (made by tests/vectors/dtmf/make_vectors.py).</summary>
    [TestCaseSource(nameof(SharedVectorCases))]
    public void DetectsTheSharedVectors(string file, string expected)
    {
        byte[] bytes = System.IO.File.ReadAllBytes(Vectors.PathOf("dtmf/" + file));
        var samples = new List<short>(bytes.Length / 2);
        for (int i = 0; i + 1 < bytes.Length; i += 2)
        {
            samples.Add(System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(i, 2)));
        }

        Assert.That(Detect(samples), Is.EqualTo(expected));
    }

    [Test]
    public void DetectsAllSixteenDigitsOnce()
    {
        var signal = new List<short>();
        Silence(signal, 37);
        string all = new(s_pairs.Keys.ToArray());
        foreach (char d in all)
        {
            Tone(signal, s_pairs[d].Low, s_pairs[d].High, -10, -8, 60);
            Silence(signal, 60);
        }

        Assert.That(Detect(signal), Is.EqualTo(all));
        Assert.That(Detect(signal, chunk: 7), Is.EqualTo(all), "chunking does not matter");
    }

    [TestCase(-1.0)]
    [TestCase(1.0)]
    public void AcceptsFrequencyDeviationWithinTheAcceptLimit(double sign)
    {
        double dev = s_limits["accept_frequency_deviation_percent"] / 100 * sign;
        foreach (char d in "1593D*")
        {
            var signal = new List<short>();
            Tone(signal, s_pairs[d].Low, s_pairs[d].High, -10, -10, 60, 1 + dev, 1 + dev);
            Silence(signal, 60);
            Assert.That(Detect(signal), Is.EqualTo(d.ToString()), $"{d} at {dev:P1}");
        }
    }

    [TestCase(-1.0, true, false)]
    [TestCase(1.0, true, false)]
    [TestCase(-1.0, false, true)]
    [TestCase(1.0, false, true)]
    public void RejectsFrequencyDeviationBeyondTheRejectLimit(double sign, bool lowOff, bool highOff)
    {
        double dev = s_limits["reject_frequency_deviation_percent"] / 100 * sign;
        foreach (char d in "1593D*")
        {
            var signal = new List<short>();
            Tone(signal, s_pairs[d].Low, s_pairs[d].High, -10, -10, 80, lowOff ? 1 + dev : 1, highOff ? 1 + dev : 1);
            Silence(signal, 60);
            Assert.That(Detect(signal), Is.Empty, $"{d} at {dev:P1} low={lowOff} high={highOff}");
        }
    }

    [Test]
    public void TwistLimits()
    {
        double normal = s_limits["max_normal_twist_db"];
        double reverse = s_limits["max_reverse_twist_db"];
        string Run(double lowDbm0, double highDbm0)
        {
            var signal = new List<short>();
            Tone(signal, s_pairs['8'].Low, s_pairs['8'].High, lowDbm0, highDbm0, 60);
            Silence(signal, 60);
            return Detect(signal);
        }

        Assert.Multiple(() =>
        {
            Assert.That(Run(-8, -8 - normal + 1), Is.EqualTo("8"), "normal twist inside the limit");
            Assert.That(Run(-8, -8 - normal - 2), Is.Empty, "normal twist beyond the limit");
            Assert.That(Run(-8 - reverse + 1, -8), Is.EqualTo("8"), "reverse twist inside the limit");
            Assert.That(Run(-8 - reverse - 2, -8), Is.Empty, "reverse twist beyond the limit");
        });
    }

    [Test]
    public void FortyMsToneIsAcceptedAtEveryAlignmentAndTwentyMsIsRejected()
    {
        int min = (int)s_limits["min_tone_ms"];
        int shortMs = (int)s_limits["reject_tone_ms"];
        for (int offset = 0; offset < DtmfDetector.BlockSize; offset += 7)
        {
            var accepted = new List<short>(new short[offset]);
            Tone(accepted, s_pairs['0'].Low, s_pairs['0'].High, -10, -10, min);
            Silence(accepted, 60);
            Assert.That(Detect(accepted), Is.EqualTo("0"), $"{min} ms at offset {offset}");

            var rejected = new List<short>(new short[offset]);
            Tone(rejected, s_pairs['0'].Low, s_pairs['0'].High, -10, -10, shortMs);
            Silence(rejected, 60);
            Assert.That(Detect(rejected), Is.Empty, $"{shortMs} ms at offset {offset}");
        }
    }

    [Test]
    public void PausesSeparateDigitsButShortInterruptionsDoNot()
    {
        int pause = (int)s_limits["min_pause_ms"];
        var twoDigits = new List<short>();
        Tone(twoDigits, s_pairs['7'].Low, s_pairs['7'].High, -10, -10, 50);
        Silence(twoDigits, pause);
        Tone(twoDigits, s_pairs['7'].Low, s_pairs['7'].High, -10, -10, 50);
        Silence(twoDigits, 60);
        Assert.That(Detect(twoDigits), Is.EqualTo("77"));

        var interrupted = new List<short>();
        Tone(interrupted, s_pairs['7'].Low, s_pairs['7'].High, -10, -10, 60);
        Silence(interrupted, 10);
        Tone(interrupted, s_pairs['7'].Low, s_pairs['7'].High, -10, -10, 60);
        Silence(interrupted, 60);
        Assert.That(Detect(interrupted), Is.EqualTo("7"));
    }

    [Test]
    public void LevelLimits()
    {
        var weak = new List<short>();
        Tone(weak, s_pairs['2'].Low, s_pairs['2'].High, -26, -26, 60);
        Silence(weak, 60);
        Assert.That(Detect(weak), Is.EqualTo("2"));
        var tooWeak = new List<short>();
        Tone(tooWeak, s_pairs['2'].Low, s_pairs['2'].High, -36, -36, 60);
        Silence(tooWeak, 60);
        Assert.That(Detect(tooWeak), Is.Empty);
    }

    [Test]
    public void DetectsWithFifteenDbSignalToNoise()
    {
        var signal = new List<short>();
        foreach (char d in "159#")
        {
            Tone(signal, s_pairs[d].Low, s_pairs[d].High, -10, -10, 50);
            Silence(signal, 50);
        }

        // White noise 15 dB below the two tones' total power.
        var random = new Random(5);
        double toneRms = Math.Sqrt(2 * Math.Pow(Peak(-10), 2) / 2);
        double noiseRms = toneRms / Math.Pow(10, 15 / 20.0);
        for (int i = 0; i < signal.Count; i++)
        {
            double g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            signal[i] = (short)Math.Clamp(signal[i] + (g * noiseRms), short.MinValue, short.MaxValue);
        }

        Assert.That(Detect(signal), Is.EqualTo("159#"));
    }

    [Test]
    public void NoFalseDigitsOnNoiseOrVoicedSpeechLikeSignals()
    {
        var random = new Random(9);
        var signal = new List<short>();
        for (int i = 0; i < 8000 * 10; i++)
        {
            signal.Add((short)((random.NextDouble() - 0.5) * 20000));
        }

        // Vowel-like harmonic series with a gliding pitch (80-250 Hz), 10 s.
        double phase = 0;
        for (int i = 0; i < 8000 * 10; i++)
        {
            double f0 = 165 + (85 * Math.Sin(2 * Math.PI * 0.3 * i / 8000));
            phase += 2 * Math.PI * f0 / 8000;
            double v = 0;
            for (int k = 1; k * f0 < 3400; k++)
            {
                v += Math.Sin(k * phase) / k;
            }

            signal.Add((short)(4000 * v));
        }

        Assert.That(Detect(signal), Is.Empty);
    }

    [Test]
    public void GeneratedDtmfIsDetected()
    {
        var signal = new List<short>();
        short[] frame = new short[160];
        foreach (char d in "0123456789*#ABCD")
        {
            var gen = new ToneGenerator(ToneGeneratorSpec.Dtmf(d));
            for (int i = 0; i < 3; i++)
            {
                gen.Generate(frame);
                signal.AddRange(frame);
            }

            Silence(signal, 60);
        }

        Assert.That(Detect(signal), Is.EqualTo("0123456789*#ABCD"));
    }

    [Test]
    public void ProcessAllocatesNothing()
    {
        var detector = new DtmfDetector();
        var signal = new List<short>();
        Tone(signal, 697, 1209, -10, -10, 500);
        short[] x = signal.ToArray();
        char[] digits = new char[16];
        detector.Process(x.AsSpan(0, 160), digits);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 160; i + 160 <= x.Length; i += 160)
        {
            detector.Process(x.AsSpan(i, 160), digits);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.EqualTo(0));
    }
}
