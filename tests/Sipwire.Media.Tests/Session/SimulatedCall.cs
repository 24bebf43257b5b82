// Two media sessions (A and B) in one call over the simulated network, driven by a virtual audio clock.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Net;
using Sipwire.Media.Session;
using Sipwire.Session;

namespace Sipwire.Media.Tests.Session;

/// <summary>
/// Phone A at 10.0.0.1:40000 and phone B at 10.0.0.2:50000, each with a <see cref="MediaSession"/>
/// for the same negotiated codec. <see cref="Run"/> advances virtual time frame by frame: each side
/// polls its session, reads a loudspeaker frame and writes a microphone frame.
/// </summary>
internal sealed class SimulatedCall : IDisposable
{
    public const int TelephoneEventPt = 101;

    public static readonly IPEndPoint AddressA = new(IPAddress.Parse("10.0.0.1"), 40000);
    public static readonly IPEndPoint AddressB = new(IPAddress.Parse("10.0.0.2"), 50000);

    public SimulatedCall(AudioCodec codec, int payloadType, MediaSessionOptions? optionsA = null, MediaSessionOptions? optionsB = null,
        SrtpKeys? srtpA = null, SrtpKeys? srtpB = null, int seed = 1, int ptimeMs = 20)
    {
        Network = new SimulatedMediaNetwork(seed);
        IoA = Network.CreateEndpoint(AddressA.Address, AddressA.Port);
        IoB = Network.CreateEndpoint(AddressB.Address, AddressB.Port);
        A = new MediaSession(Audio(codec, payloadType, AddressB, srtp: srtpA, ptimeMs: ptimeMs), IoA, optionsA ?? new MediaSessionOptions { RtcpSeed = 1 }, 0);
        B = new MediaSession(Audio(codec, payloadType, AddressA, srtp: srtpB, ptimeMs: ptimeMs), IoB, optionsB ?? new MediaSessionOptions { RtcpSeed = 2 }, 0);
        A.EventRaised += e => EventsA.Add(e);
        B.EventRaised += e => EventsB.Add(e);
        FrameUs = A.FrameSamples * 1_000_000L / A.SampleRate;
    }

    public SimulatedMediaNetwork Network { get; }

    public SimulatedPacketIo IoA { get; }

    public SimulatedPacketIo IoB { get; }

    public MediaSession A { get; }

    public MediaSession B { get; }

    public List<MediaSessionEvent> EventsA { get; } = new();

    public List<MediaSessionEvent> EventsB { get; } = new();

    /// <summary>What B's loudspeaker played (when recording).</summary>
    public List<short> PlayedB { get; } = new();

    /// <summary>What A's loudspeaker played (when recording).</summary>
    public List<short> PlayedA { get; } = new();

    public long NowUs { get; private set; }

    public long FrameUs { get; }

    public static NegotiatedAudio Audio(AudioCodec codec, int payloadType, IPEndPoint remote, bool send = true, bool receive = true,
        SrtpKeys? srtp = null, int ptimeMs = 20, IReadOnlyDictionary<int, AudioCodec>? receiveTypes = null) => new()
        {
            Remote = remote,
            SendCodec = codec,
            SendPayloadType = payloadType,
            ReceivePayloadTypes = receiveTypes ?? new Dictionary<int, AudioCodec> { [payloadType] = codec },
            TelephoneEventPayloadType = TelephoneEventPt,
            PTimeMs = ptimeMs,
            Send = send,
            Receive = receive,
            Srtp = srtp,
        };

    /// <summary>
    /// Runs <paramref name="frames"/> frame periods. <paramref name="micA"/> and <paramref name="micB"/>
    /// fill each side's microphone frame (silence when null); <paramref name="micOfA"/>, when set,
    /// builds A's microphone from what A just played (an echo path).
    /// </summary>
    public void Run(int frames, Action<Span<short>>? micA = null, Action<Span<short>>? micB = null, bool record = true,
        Action<ReadOnlySpan<short>, Span<short>>? micOfA = null)
    {
        short[] speakerA = new short[A.FrameSamples];
        short[] speakerB = new short[B.FrameSamples];
        short[] mic = new short[A.FrameSamples];
        for (int i = 0; i < frames; i++)
        {
            Network.NowUs = NowUs;
            A.Poll(NowUs);
            B.Poll(NowUs);
            A.ReadAudio(speakerA, NowUs);
            B.ReadAudio(speakerB, NowUs);
            Array.Clear(mic);
            micA?.Invoke(mic);
            micOfA?.Invoke(speakerA, mic);
            A.WriteAudio(mic, NowUs);
            Array.Clear(mic);
            micB?.Invoke(mic);
            B.WriteAudio(mic, NowUs);
            if (record)
            {
                PlayedA.AddRange(speakerA);
                PlayedB.AddRange(speakerB);
            }

            NowUs += FrameUs;
        }
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}
