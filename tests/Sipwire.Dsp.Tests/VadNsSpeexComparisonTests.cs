// Vad and NoiseSuppressor compared with SpeexDSP's preprocessor (VAD + denoiser) on short espeak-ng speech in noise.
// SPDX-License-Identifier: MIT

using System.IO;
using NUnit.Framework;
using static Sipwire.Dsp.Tests.VadNsComparison;

namespace Sipwire.Dsp.Tests;

/// <summary>
/// Issue 9 item 2: VAD and noise suppressor measured against SpeexDSP 1.2 (Debian libspeexdsp) on
/// the same signals, scored as described on <see cref="VadNsComparison"/>. Needs espeak-ng and sox
/// (build.ps1 prereqs); the speech is cached under the temp directory. The full table over the
/// longer text comes from tests/tools/Sipwire.VadNsEval.
/// </summary>
/// <remarks>
/// SpeexDSP 1.2's VAD, as shipped, says "speech" for every frame of these signals (it prints "The
/// VAD has been replaced by a hack pending a complete rewrite"; its speech probability stays above
/// its 20 % continue threshold on noise), so it misses nothing and saves nothing; our bars below are
/// absolute. Measured on this short text (ours): stationary noise at 5-20 dB SNR at most 4 % of
/// speech missed and 25 % of pauses called speech; white and pink at 0 dB SNR 6-16 % missed, 13-14 %
/// false alarm; babble at 5-20 dB 0-6 % missed, 37-45 % false alarm (the energy detector this
/// replaced: about 50 % missed in white noise at 0 dB, about 90 % false alarm in babble). Not
/// asserted, a known weakness: babble at 0 dB SNR, where about 20 % of the speech is missed
/// (accuracy 0.75, SpeexDSP's 0.60) - the background is as loud as the talker and as speech-like.
/// </remarks>
[TestFixture]
public sealed class VadNsSpeexComparisonTests
{
    private static readonly string s_cache = Path.Combine(Path.GetTempPath(), "sipwire-vadns");

    // VAD for DTX (RFC 3389 comfort noise in the pauses) at 5-20 dB SNR in stationary noise:
    // - at most 8 % of speech frames missed (more clips word onsets audibly; the 200 ms hangover
    //   keeps word endings), and accuracy at least SpeexDSP's;
    // - at most 35 % of noise frames called speech, so DTX saves at least two thirds of the pauses
    //   (the hangover alone costs about 20 frames after every word).
    [TestCase(8000, NoiseKind.White, 5)]
    [TestCase(8000, NoiseKind.White, 10)]
    [TestCase(8000, NoiseKind.White, 20)]
    [TestCase(8000, NoiseKind.Pink, 5)]
    [TestCase(8000, NoiseKind.Pink, 20)]
    [TestCase(16000, NoiseKind.White, 5)]
    [TestCase(16000, NoiseKind.White, 10)]
    [TestCase(16000, NoiseKind.White, 20)]
    [TestCase(16000, NoiseKind.Pink, 5)]
    [TestCase(16000, NoiseKind.Pink, 20)]
    public void VadFindsSpeechInStationaryNoise(int rate, NoiseKind kind, int snrDb)
    {
        Result r = Run(rate, kind, snrDb);
        Assert.That(r.OurVad.Missed, Is.LessThanOrEqualTo(0.08), "speech frames missed");
        Assert.That(r.OurVad.FalseAlarm, Is.LessThanOrEqualTo(0.35), "noise frames called speech");
        Assert.That(r.OurVad.Accuracy, Is.GreaterThanOrEqualTo(r.SpeexVad.Accuracy), "accuracy vs SpeexDSP");
    }

    // Stationary noise as loud as the talker (0 dB SNR): the full-band energy barely rises, but the
    // speech stands out in its bands. At most 25 % of the speech frames missed (the energy
    // detector missed about half), at most 25 % of the pauses called speech.
    [TestCase(8000, NoiseKind.White)]
    [TestCase(8000, NoiseKind.Pink)]
    [TestCase(16000, NoiseKind.White)]
    [TestCase(16000, NoiseKind.Pink)]
    public void VadFindsSpeechInStationaryNoiseAt0DbSnr(int rate, NoiseKind kind)
    {
        Result r = Run(rate, kind, 0);
        Assert.That(r.OurVad.Missed, Is.LessThanOrEqualTo(0.25), "speech frames missed");
        Assert.That(r.OurVad.FalseAlarm, Is.LessThanOrEqualTo(0.25), "noise frames called speech");
        Assert.That(r.OurVad.Accuracy, Is.GreaterThanOrEqualTo(r.SpeexVad.Accuracy), "accuracy vs SpeexDSP");
    }

    // Babble 5-20 dB under the talker: speech-like, so some pauses are called speech, but at most
    // 55 % of them (the energy detector held about 90 %, every babble peak starting a hangover),
    // while the talker is still found: at most 12 % of its frames missed at 5 dB, 6 % at 10-20 dB.
    [TestCase(8000, 5)]
    [TestCase(8000, 10)]
    [TestCase(8000, 20)]
    [TestCase(16000, 5)]
    [TestCase(16000, 10)]
    [TestCase(16000, 20)]
    public void VadCallsBabblePausesSpeechLessOften(int rate, int snrDb)
    {
        Result r = Run(rate, NoiseKind.Babble, snrDb);
        Assert.That(r.OurVad.Missed, Is.LessThanOrEqualTo(snrDb >= 10 ? 0.06 : 0.12), "speech frames missed");
        Assert.That(r.OurVad.FalseAlarm, Is.LessThanOrEqualTo(0.55), "babble pauses called speech");
        Assert.That(r.OurVad.Accuracy, Is.GreaterThanOrEqualTo(r.SpeexVad.Accuracy), "accuracy vs SpeexDSP");
    }

    // Noise suppressor in stationary noise at 0-20 dB SNR:
    // - segmental SNR gain within 0.5 dB of SpeexDSP's or better (same -15 dB suppression limit);
    // - at least 8 dB less noise in the pauses (our limit is 15 dB) and no less than SpeexDSP's
    //   minus 1 dB;
    // - speech turned down by at most 1 dB at 10 dB SNR and above, and at most 3.5 dB at 0-5 dB
    //   (SpeexDSP attenuates speech about half as much as we do at 0-5 dB: where it wins).
    [TestCase(8000, NoiseKind.White, 0)]
    [TestCase(8000, NoiseKind.White, 5)]
    [TestCase(8000, NoiseKind.White, 10)]
    [TestCase(8000, NoiseKind.White, 20)]
    [TestCase(8000, NoiseKind.Pink, 0)]
    [TestCase(8000, NoiseKind.Pink, 10)]
    [TestCase(16000, NoiseKind.White, 0)]
    [TestCase(16000, NoiseKind.White, 5)]
    [TestCase(16000, NoiseKind.White, 10)]
    [TestCase(16000, NoiseKind.White, 20)]
    [TestCase(16000, NoiseKind.Pink, 0)]
    [TestCase(16000, NoiseKind.Pink, 10)]
    public void NoiseSuppressorIsAtLeastAsGoodAsSpeexDsp(int rate, NoiseKind kind, int snrDb)
    {
        Result r = Run(rate, kind, snrDb);
        Assert.That(r.OurNs.SegSnrGainDb, Is.GreaterThanOrEqualTo(r.SpeexNs.SegSnrGainDb - 0.5), "segmental SNR gain vs SpeexDSP");
        Assert.That(r.OurNs.PauseNoiseReductionDb, Is.GreaterThanOrEqualTo(8.0), "noise reduction in pauses");
        Assert.That(r.OurNs.PauseNoiseReductionDb, Is.GreaterThanOrEqualTo(r.SpeexNs.PauseNoiseReductionDb - 1.0), "noise reduction vs SpeexDSP");
        Assert.That(r.OurNs.SpeechLevelDb, Is.GreaterThanOrEqualTo(snrDb >= 10 ? -1.0 : -3.5), "speech level change");
    }

    // Babble is speech-shaped and non-stationary: neither suppressor can remove much of it (about
    // 2 dB in the pauses), and both turn the speech down a little with it (1-2 dB at 0 dB SNR). Ours
    // must do no harm: no segmental SNR loss, and speech no more than 0.5 dB below SpeexDSP's.
    [Test]
    public void NoiseSuppressorDoesNoHarmInBabble([Values(8000, 16000)] int rate, [Values(0, 10)] int snrDb)
    {
        Result r = Run(rate, NoiseKind.Babble, snrDb);
        Assert.That(r.OurNs.SegSnrGainDb, Is.GreaterThanOrEqualTo(0.0), "segmental SNR gain");
        Assert.That(r.OurNs.SpeechLevelDb, Is.GreaterThanOrEqualTo(r.SpeexNs.SpeechLevelDb - 0.5), "speech level change vs SpeexDSP");
    }

    private static Result Run(int rate, NoiseKind kind, int snrDb)
    {
        short[] speech = Speech(rate, ShortText, s_cache);
        Result r = Compare(rate, speech, kind, snrDb, 1);
        TestContext.Out.WriteLine($"{rate} Hz {kind} {snrDb} dB SNR, ours / SpeexDSP: VAD accuracy {r.OurVad.Accuracy:F2} / {r.SpeexVad.Accuracy:F2}, " +
            $"missed {r.OurVad.Missed:F2} / {r.SpeexVad.Missed:F2}, false alarm {r.OurVad.FalseAlarm:F2} / {r.SpeexVad.FalseAlarm:F2}; " +
            $"NS segSNR gain {r.OurNs.SegSnrGainDb:F1} / {r.SpeexNs.SegSnrGainDb:F1} dB, pause noise cut {r.OurNs.PauseNoiseReductionDb:F1} / {r.SpeexNs.PauseNoiseReductionDb:F1} dB, " +
            $"speech {r.OurNs.SpeechLevelDb:F1} / {r.SpeexNs.SpeechLevelDb:F1} dB");
        return r;
    }
}
