// `sipwire ua` media flags: a call between two UAs on loopback records the tone the caller plays (--play, --record, --codecs, --rtp-port).
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Sipwire.Cli;
using Sipwire.Dsp.Audio;

namespace Sipwire.Interop.Tests.Cli;

[TestFixture]
public sealed class UaMediaTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(30);

    [TestCase("g722,pcmu", TestName = "Played file recorded through G.722")]
    [TestCase("pcma", TestName = "Played file recorded through PCMA")]
    public void CallBetweenTwoUasRecordsThePlayedFile(string codecs)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"sipwire-ua-media-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            const int Rate = 16000;
            const double Frequency = 600;
            string play = Path.Combine(dir, "alice.wav");
            string record = Path.Combine(dir, "bob.wav");
            short[] tone = new short[Rate * 3];
            for (int i = 0; i < tone.Length; i++) tone[i] = (short)(6000 * Math.Sin(2 * Math.PI * Frequency * i / Rate));
            WavFile.Write(play, tone, Rate);

            int bobPort = FreeUdpPort();
            var bobOut = new StringWriter();
            var bobErr = new StringWriter();
            using var bobStop = new CancellationTokenSource();
            Task<int> bob = Task.Factory.StartNew(
                () => UaCommand.Run(["--listen", $"udp:127.0.0.1:{bobPort}", "--aor", "sip:bob@example.test", "--auto-answer", "--record", record,
                    "--rtp-port", FreeRtpPort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--codecs", codecs, "--exit-after", "20"],
                    TextWriter.Synchronized(bobOut), TextWriter.Synchronized(bobErr), bobStop.Token),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            SpinWait.SpinUntil(() => bobOut.ToString().Contains("listening", StringComparison.Ordinal) || bob.IsCompleted, TimeSpan.FromSeconds(10));

            UaRun alice = UaRun.Start(["--listen", "udp:127.0.0.1:0", "--call", $"sip:bob@127.0.0.1:{bobPort}", "--duration", "2", "--play", play,
                "--rtp-port", FreeRtpPort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--codecs", codecs], s_limit);
            bobStop.Cancel();
            Assert.That(bob.Wait(TimeSpan.FromSeconds(15)), Is.True, "bob must exit on the signal");
            Assert.That(alice.ExitCode, Is.EqualTo(0), alice.ToString());
            Assert.That(bobOut.ToString(), Does.Contain($"recorded").And.Contain(record), bobOut.ToString());

            short[] recorded = WavFile.Read(record, out int rate);
            Assert.That(rate, Is.EqualTo(Rate), "no --play: bob runs at 16 kHz");
            int window = rate / 50;
            int toneWindows = 0;
            for (int w = 0; w + window <= recorded.Length; w += window)
            {
                toneWindows += ToneFraction(recorded.AsSpan(w, window), Frequency, rate) > 0.8 ? 1 : 0;
            }

            // The call lasts 2 s; allow for call setup, the jitter buffer's start and the hangup.
            double seconds = toneWindows * window / (double)rate;
            TestContext.Out.WriteLine($"{codecs}: {seconds:F2} s of the {Frequency} Hz tone in {recorded.Length / (double)rate:F2} s recorded");
            Assert.That(seconds, Is.GreaterThanOrEqualTo(1.5), bobOut.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void BadMediaFlagsAreUsageErrors()
    {
        var err = new StringWriter();
        Assert.That(UaCommand.Run(["--codecs", "g729", "--exit-after", "1"], TextWriter.Null, err, CancellationToken.None), Is.EqualTo(2));
        Assert.That(err.ToString(), Does.Contain("unknown codec 'g729'"));
        err = new StringWriter();
        Assert.That(UaCommand.Run(["--rtp-port", "40001", "--exit-after", "1"], TextWriter.Null, err, CancellationToken.None), Is.EqualTo(2));
        Assert.That(err.ToString(), Does.Contain("not an even port"));
        err = new StringWriter();
        Assert.That(UaCommand.Run(["--listen", "udp:127.0.0.1:0", "--play", "/nonexistent/x.wav", "--exit-after", "1"], TextWriter.Null, err, CancellationToken.None), Is.EqualTo(2));
        Assert.That(err.ToString(), Does.Contain("--play /nonexistent/x.wav"));
    }

    /// <summary>Power at <paramref name="frequency"/> (Goertzel) as a fraction of the window's power; 1 for a pure tone.</summary>
    private static double ToneFraction(ReadOnlySpan<short> x, double frequency, int rate)
    {
        double coefficient = 2 * Math.Cos(2 * Math.PI * frequency / rate);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        foreach (short v in x)
        {
            double s0 = v + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
            energy += (double)v * v;
        }

        double power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return energy <= 0 ? 0 : 2 * power / (x.Length * energy);
    }

    private static int FreeUdpPort()
    {
        using var s = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.Client.LocalEndPoint!).Port;
    }

    private static int FreeRtpPort()
    {
        // An even port whose pair is free now (RFC 3550 §11).
        var random = new Random();
        while (true)
        {
            int port = 30000 + (2 * random.Next(0, 10000));
            try
            {
                using var rtp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                using var rtcp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port + 1));
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }
}
