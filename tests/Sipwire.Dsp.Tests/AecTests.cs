// EchoCanceller quality bars on short image-source scenarios, and its API contract.
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;

namespace Sipwire.Dsp.Tests;

[TestFixture]
public sealed class AecTests
{
    private const int Rate = 16000;
    private const int Frame = 160;
    private static readonly double[] s_room = [4.2, 3.4, 2.7];
    private static readonly Lazy<AecScenario> s_css = new(() => BuildCss(Rate, 14, withDoubleTalk: true, bulkDelay: 0));

    // 14 s composite source far end, RT60 0.15 s room, ERL 6 dB, near-end noise 60 dB under the
    // echo; double talk (0 dB) 7-8.5 s; echo path change (the microphone moves) at 11 s.
    internal static AecScenario BuildCss(int rate, int seconds, bool withDoubleTalk, int bulkDelay, AecScenario.Source source = AecScenario.Source.CompositeSource)
    {
        int n = seconds * rate;
        float[] far = AecScenario.FarSignal(source, rate, n, 1);
        float[] rir1 = AecScenario.RoomImpulseResponse(rate, 0.15, s_room, [1.2, 1.5, 1.1], [1.5, 1.7, 1.2], rate / 4);
        float[] rir2 = AecScenario.RoomImpulseResponse(rate, 0.15, s_room, [1.2, 1.5, 1.1], [2.0, 1.4, 1.3], rate / 4);
        if (bulkDelay > 0)
        {
            rir1 = Delay(rir1, bulkDelay);
            rir2 = Delay(rir2, bulkDelay);
        }
        return AecScenario.Build(rate, far, rir1, withDoubleTalk ? rir2 : null, withDoubleTalk ? 11 * rate : -1,
            withDoubleTalk ? 7 * rate : -1, withDoubleTalk ? (17 * rate) / 2 : -1, -60, 0, 7);
    }

    private static float[] Delay(float[] h, int d)
    {
        var r = new float[h.Length + d];
        Array.Copy(h, 0, r, d, h.Length);
        return r;
    }

    [Test]
    public void FullChainMeetsQualityBarsOnCompositeSource()
    {
        AecScenario sc = s_css.Value;
        var aec = new EchoCanceller(Rate);
        short[] output = sc.Run(Frame, aec.Process);
        int window = Rate / 2;
        double[] erle = sc.Erle(output, aec.Latency, window);
        double steady = AecScenario.MeanErle(erle, window, Rate, 4, 7);
        double to20 = AecScenario.TimeTo(erle, window, Rate, 20);
        double gain = sc.NearEndGainDb(output, aec.Latency);
        double afterDoubleTalk = AecScenario.MeanErle(erle, window, Rate, 9, 11);
        double reconverge = AecScenario.TimeTo(erle[(11 * Rate / window)..], window, Rate, 20);
        TestContext.Out.WriteLine($"steady {steady:F1} dB, t20 {to20:F1} s, near-end gain {gain:F2} dB, after DT {afterDoubleTalk:F1} dB, reconverge {reconverge:F1} s");
        Assert.Multiple(() =>
        {
            Assert.That(steady, Is.GreaterThan(50), "steady-state ERLE");
            Assert.That(to20, Is.LessThanOrEqualTo(1.5), "time to 20 dB");
            Assert.That(gain, Is.GreaterThan(-1.0).And.LessThan(0.5), "near-end gain in double talk");
            Assert.That(afterDoubleTalk, Is.GreaterThan(40), "ERLE after double talk (no divergence)");
            Assert.That(reconverge, Is.LessThanOrEqualTo(2.0), "re-convergence after the echo path change");
        });
    }

    [Test]
    public void LinearStageAloneConvergesAndStaysTransparentInDoubleTalk()
    {
        AecScenario sc = s_css.Value;
        var aec = new EchoCanceller(new EchoCancellerOptions { SampleRate = Rate, Suppression = false });
        short[] output = sc.Run(Frame, aec.Process);
        int window = Rate / 2;
        double[] erle = sc.Erle(output, aec.Latency, window);
        double steady = AecScenario.MeanErle(erle, window, Rate, 4, 7);
        double gain = sc.NearEndGainDb(output, aec.Latency);
        TestContext.Out.WriteLine($"linear steady {steady:F1} dB, near-end gain {gain:F2} dB");
        Assert.That(steady, Is.GreaterThan(40));
        Assert.That(gain, Is.GreaterThan(-0.5).And.LessThan(0.5));
    }

    [Test]
    public void NarrowbandCancellerConverges()
    {
        AecScenario sc = BuildCss(8000, 8, withDoubleTalk: false, bulkDelay: 0);
        var aec = new EchoCanceller(8000);
        Assert.That(aec.FrameSize, Is.EqualTo(80));
        short[] output = sc.Run(80, aec.Process);
        double[] erle = sc.Erle(output, aec.Latency, 4000);
        double steady = AecScenario.MeanErle(erle, 4000, 8000, 4, 8);
        TestContext.Out.WriteLine($"8 kHz steady {steady:F1} dB");
        Assert.That(steady, Is.GreaterThan(45));
    }

    [Test]
    public void DelayEstimatorFindsABulkDelayBeyondTheTail()
    {
        // 120 ms between loudspeaker and microphone (a Bluetooth or USB audio path): with 128 ms of
        // filter the room tail does not fit unless the bulk delay is found and taken out.
        int bulk = 120 * Rate / 1000;
        AecScenario sc = BuildCss(Rate, 10, withDoubleTalk: false, bulkDelay: bulk);
        var aec = new EchoCanceller(new EchoCancellerOptions { SampleRate = Rate, Suppression = false });
        short[] output = sc.Run(Frame, aec.Process);
        var fixedAec = new EchoCanceller(new EchoCancellerOptions { SampleRate = Rate, Suppression = false, MaxDelayMs = 0 });
        short[] fixedOutput = sc.Run(Frame, fixedAec.Process);
        double withEstimator = AecScenario.MeanErle(sc.Erle(output, aec.Latency, Rate / 2), Rate / 2, Rate, 6, 10);
        double without = AecScenario.MeanErle(sc.Erle(fixedOutput, aec.Latency, Rate / 2), Rate / 2, Rate, 6, 10);
        TestContext.Out.WriteLine($"applied delay {aec.AppliedDelay} samples; ERLE {withEstimator:F1} dB with the estimator, {without:F1} dB without");
        Assert.That(aec.AppliedDelay, Is.InRange(bulk - (3 * 128), bulk));
        Assert.That(withEstimator, Is.GreaterThan(without + 6));
    }

    [Test]
    public void ScalarAndVectorPathsGiveTheSameSamples()
    {
        AecScenario sc = s_css.Value;
        var scalar = new EchoCanceller(new EchoCancellerOptions { SampleRate = Rate, Vectorized = false });
        var vector = new EchoCanceller(new EchoCancellerOptions { SampleRate = Rate, Vectorized = true });
        short[] a = sc.Run(Frame, scalar.Process);
        short[] b = sc.Run(Frame, vector.Process);
        Assert.That(b, Is.EqualTo(a));
    }

    [Test]
    public void ProcessAllocatesNothingPerFrame()
    {
        AecScenario sc = s_css.Value;
        var aec = new EchoCanceller(Rate);
        var output = new short[Frame];
        for (int i = 0; i < 50; i++)
        {
            aec.Process(sc.Mic.AsSpan(i * Frame, Frame), sc.Far.AsSpan(i * Frame, Frame), output);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 50; i < 550; i++)
        {
            aec.Process(sc.Mic.AsSpan(i * Frame, Frame), sc.Far.AsSpan(i * Frame, Frame), output);
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void OutputMayAliasTheMicrophoneFrame()
    {
        AecScenario sc = s_css.Value;
        var a = new EchoCanceller(Rate);
        var b = new EchoCanceller(Rate);
        var separate = new short[Frame];
        var inPlace = new short[Frame];
        for (int i = 0; i < 300; i++)
        {
            a.Process(sc.Mic.AsSpan(i * Frame, Frame), sc.Far.AsSpan(i * Frame, Frame), separate);
            sc.Mic.AsSpan(i * Frame, Frame).CopyTo(inPlace);
            b.Process(inPlace, sc.Far.AsSpan(i * Frame, Frame), inPlace);
            Assert.That(inPlace, Is.EqualTo(separate));
        }
    }

    [Test]
    public void RejectsBadSettingsAndFrames()
    {
        Assert.Throws<ArgumentException>(() => _ = new EchoCanceller(44100));
        Assert.Throws<ArgumentException>(() => _ = new EchoCanceller(16000, 8));
        Assert.Throws<ArgumentException>(() => _ = new EchoCanceller(16000, 501));
        Assert.Throws<ArgumentException>(() => _ = new EchoCanceller(new EchoCancellerOptions { MaxDelayMs = -1 }));
        Assert.Throws<ArgumentNullException>(() => _ = new EchoCanceller(null!));
        var aec = new EchoCanceller(16000);
        Assert.Throws<ArgumentException>(() => aec.Process(new short[159], new short[160], new short[160]));
        Assert.Throws<ArgumentException>(() => aec.Process(new short[160], new short[80], new short[160]));
        Assert.Throws<ArgumentException>(() => aec.Process(new short[160], new short[160], new short[161]));
    }

    [Test]
    public void ResetForgetsTheEchoPath()
    {
        AecScenario sc = BuildCss(Rate, 4, withDoubleTalk: false, bulkDelay: 0);
        var aec = new EchoCanceller(new EchoCancellerOptions { SampleRate = Rate, Suppression = false });
        var fresh = new EchoCanceller(new EchoCancellerOptions { SampleRate = Rate, Suppression = false });
        sc.Run(Frame, aec.Process);
        aec.Reset();
        var fromReset = new short[Frame];
        var fromFresh = new short[Frame];
        // After Reset the filter output equals a fresh canceller's once the framing has flushed.
        for (int i = 0; i < 100; i++)
        {
            aec.Process(sc.Mic.AsSpan(i * Frame, Frame), sc.Far.AsSpan(i * Frame, Frame), fromReset);
            fresh.Process(sc.Mic.AsSpan(i * Frame, Frame), sc.Far.AsSpan(i * Frame, Frame), fromFresh);
        }
        Assert.That(aec.Leakage, Is.EqualTo(fresh.Leakage).Within(1e-3f));
    }
}
