// The audio of one call: PCM16 frames in and out, RTP/SRTP/RTCP on a packet I/O, jitter buffer, codecs, DTMF, echo canceller.
// SPDX-License-Identifier: MIT

using System;
using System.Net;
using Sipwire.Security;
using Sipwire.Dsp;
using Sipwire.Media.Dtmf;
using Sipwire.Media.Jitter;
using Sipwire.Media.Rtcp;
using Sipwire.Media.Rtp;
using Sipwire.Media.Srtp;
using Sipwire.Session;

namespace Sipwire.Media.Session;

/// <summary>
/// Runs the audio stream a call negotiated (<see cref="NegotiatedAudio"/>). The application writes
/// microphone frames with <see cref="WriteAudio"/> and reads loudspeaker frames with
/// <see cref="ReadAudio"/>, both PCM16 at <see cref="MediaSessionOptions.SampleRate"/> in
/// <see cref="MediaSessionOptions.FrameMs"/> frames, paced by its audio clock; <see cref="Poll"/>
/// takes in received datagrams, sends RTCP and raises events.
/// <para>
/// Send: frames → echo canceller (optional) → resample to the codec's rate → encode → RTP → SRTP →
/// the peer (or where its media comes from: RFC 4961 symmetric RTP). Receive: SRTP → RTP checks
/// (RFC 3550 A.1) → latch → jitter buffer → decode or conceal → resample → frames. RFC 4733
/// telephone-events both ways; RFC 3389 comfort noise received; RTCP SR/RR/SDES/BYE.
/// </para>
/// <para>
/// The direction is respected: sendonly/inactive (hold, RFC 3264 §8.4) stop sending RTP but
/// not RTCP; recvonly/inactive drop what arrives. <see cref="Update"/> applies a re-INVITE's
/// answer without losing the SSRC or the sequence (RFC 3264 §8.3.1).
/// </para>
/// Every method is safe to call from any thread (they serialize on one lock, as the audio task
/// and the signalling task of a phone usually differ). After construction and the first packets
/// of each stream, G.711, G.722 and L16 allocate nothing per frame; Opus allocates inside Concentus.
/// </summary>
public sealed partial class MediaSession : IDisposable
{
    private const int MaxDatagram = 1500;
    private const int ComfortNoisePayloadType = 13; // RFC 3551 table 4, RFC 3389 §4
    private const double SessionBandwidthBitsPerSecond = 80_000; // 64 kbit/s audio + IP/UDP/RTP headers at 50 packets/s

    private readonly object _sync = new();
    private readonly IMediaPacketIo _io;
    private readonly MediaSessionOptions _options;
    private readonly int _appFrame;
    private readonly long _wallOffsetUs;
    private readonly byte[] _datagram = new byte[MaxDatagram + 64];
    private readonly RtpSender _sender;
    private readonly RtcpReporter _reporter;
    private readonly RtcpScheduler _scheduler;
    private readonly AudioPayloadCodec?[] _receiveCodecs = new AudioPayloadCodec?[128];
    private readonly EchoCanceller? _echoCanceller;
    private readonly SampleRing? _farReference;
    private readonly short[] _micFrame;
    private readonly short[] _farChunk;
    private NegotiatedAudio _audio;
    private SrtpContext? _srtpSend;
    private SrtpContext? _srtpReceive;
    private SymmetricRtpLatch _rtpLatch;
    private SymmetricRtpLatch _rtcpLatch;
    private bool _stopped;
    private long _packetsSent;
    private long _packetsReceived;
    private long _srtpRejected;
    private long _malformed;
    private long _unknownPayloadType;
    private long _droppedNotReceiving;
    private long _rtcpSent;
    private long _rtcpReceived;
    private long _sendErrors;

    /// <summary>
    /// Starts the media of <paramref name="audio"/> on <paramref name="io"/> (which the session now
    /// owns and disposes) at time <paramref name="nowUs"/> of the caller's monotonic clock.
    /// </summary>
    /// <exception cref="ArgumentException">The send codec has no implementation here, the SRTP keys are malformed, or an option is out of range.</exception>
    public MediaSession(NegotiatedAudio audio, IMediaPacketIo io, MediaSessionOptions? options, long nowUs)
    {
        ArgumentNullException.ThrowIfNull(audio);
        _io = io ?? throw new ArgumentNullException(nameof(io));
        _options = options ?? new MediaSessionOptions();
        _options.Validate();
        _appFrame = _options.SampleRate * _options.FrameMs / 1000;
        _micFrame = new short[_appFrame];
        _farChunk = new short[_options.SampleRate / 100];
        _wallOffsetUs = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000) - nowUs;
        _audio = audio;
        _rtpLatch = new SymmetricRtpLatch(audio.Remote);
        _rtcpLatch = new SymmetricRtpLatch(new IPEndPoint(audio.Remote.Address, audio.Remote.Port + 1));
        _sendCodec = CreateSendCodec(audio, _options.SampleRate);
        _sender = new RtpSender((byte)audio.SendPayloadType, _sendCodec.RtpClockRate);
        string cname = _options.Cname ?? $"sipwire-{Convert.ToHexString(SecureRandom.GetBytes(6))}";
        _reporter = new RtcpReporter(_sender, cname);
        _scheduler = new RtcpScheduler(SessionBandwidthBitsPerSecond, 100, nowUs,
            _options.RtcpSeed is int seed ? new Random(seed) : new Random());
        if (_options.EchoCanceller)
        {
            _echoCanceller = new EchoCanceller(new EchoCancellerOptions
            {
                SampleRate = _options.SampleRate,
                TailMs = _options.EchoTailMs,
                MaxDelayMs = _options.EchoMaxDelayMs,
            });
            _farReference = new SampleRing(_options.SampleRate / 2);
        }

        _sendRing = new SampleRing(_options.SampleRate * 240 / 1000);
        _playRing = new SampleRing(_options.SampleRate * 240 / 1000);
        ApplySendSide(audio, codecChanged: true);
        ApplyReceiveSide(audio);
        ApplySrtp(audio.Srtp);
    }

    /// <summary>Raised inside <see cref="Poll"/> (DTMF digits, latching, stream changes, BYE).</summary>
    public event Action<MediaSessionEvent>? EventRaised;

    /// <summary>The audio in force (the last one given to the constructor or <see cref="Update"/>).</summary>
    public NegotiatedAudio Audio
    {
        get
        {
            lock (_sync)
            {
                return _audio;
            }
        }
    }

    /// <summary>Samples per application frame (<see cref="MediaSessionOptions.SampleRate"/> × <see cref="MediaSessionOptions.FrameMs"/>).</summary>
    public int FrameSamples => _appFrame;

    /// <summary>The application's sample rate.</summary>
    public int SampleRate => _options.SampleRate;

    /// <summary>Our RTP synchronization source.</summary>
    public uint Ssrc => _sender.Ssrc;

    /// <summary>Where RTP goes now (the signalled address until the peer's media latched it, RFC 4961).</summary>
    public IPEndPoint RemoteRtp
    {
        get
        {
            lock (_sync)
            {
                return _rtpLatch.Destination;
            }
        }
    }

    /// <summary>True after <see cref="Stop"/>.</summary>
    public bool IsStopped => _stopped;

    /// <summary>The counters so far.</summary>
    public MediaSessionStatistics GetStatistics()
    {
        lock (_sync)
        {
            return new MediaSessionStatistics(
                _packetsSent, _packetsReceived, _srtpRejected, _malformed, _unknownPayloadType, _droppedNotReceiving,
                _framesDecoded, _framesConcealed, _jitter?.Late ?? 0, _source?.CumulativeLost ?? 0, _source?.JitterUs ?? 0,
                _reporter.RoundTripUs ?? -1, _rtcpSent, _rtcpReceived, _dtmfPacketsSent, _sendErrors, _fecRecovered);
        }
    }

    /// <summary>
    /// Applies a changed negotiation (re-INVITE or UPDATE answer: hold, resume, another codec,
    /// address or key). SSRC, sequence numbers and timestamps continue (RFC 3264 §8.3.1); a new
    /// send codec only changes the payload type of the following packets.
    /// </summary>
    /// <exception cref="ArgumentException">The new send codec has no implementation here or the SRTP keys are malformed; the old media stays.</exception>
    public void Update(NegotiatedAudio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        lock (_sync)
        {
            if (_stopped)
            {
                return;
            }

            bool codecChanged = audio.SendCodec != _audio.SendCodec || audio.PTimeMs != _audio.PTimeMs;
            AudioPayloadCodec? newCodec = codecChanged ? CreateSendCodec(audio, _options.SampleRate) : null;
            if (audio.Srtp is not null)
            {
                // Check the keys before anything changes: a bad answer must leave the call's media as it was.
                CheckKeys(audio.Srtp.Suite, audio.Srtp.LocalKeySalt);
                CheckKeys(audio.Srtp.Suite, audio.Srtp.RemoteKeySalt);
            }

            if (!audio.Remote.Equals(_audio.Remote))
            {
                // RFC 3264 §8.3.1: a new address means media goes there; latch afresh.
                _rtpLatch = new SymmetricRtpLatch(audio.Remote);
                _rtcpLatch = new SymmetricRtpLatch(new IPEndPoint(audio.Remote.Address, audio.Remote.Port + 1));
            }

            if (newCodec is not null)
            {
                _sendCodec = newCodec;
            }

            bool keysChanged = !SameKeys(audio.Srtp, _audio.Srtp);
            _audio = audio;
            ApplySendSide(audio, codecChanged);
            ApplyReceiveSide(audio);
            if (keysChanged)
            {
                ApplySrtp(audio.Srtp);
            }
        }
    }

    /// <summary>
    /// Ends the media: sends RTCP BYE (RFC 3550 §6.6) and closes the packet I/O. Later calls do
    /// nothing; reads give silence and writes are ignored.
    /// </summary>
    public void Stop(long nowUs)
    {
        lock (_sync)
        {
            if (_stopped)
            {
                return;
            }

            SendRtcp(nowUs, bye: true);
            _stopped = true;
            _io.Dispose();
            _srtpSend?.Dispose();
            _srtpReceive?.Dispose();
        }
    }

    /// <summary>Stops without a clock: the BYE carries the time of the last activity.</summary>
    public void Dispose() => Stop(_lastNowUs);

    private static AudioPayloadCodec CreateSendCodec(NegotiatedAudio audio, int appRate) =>
        AudioPayloadCodec.Create(audio.SendCodec, appRate, audio.PTimeMs)
        ?? throw new ArgumentException($"The media engine has no implementation of {audio.SendCodec.EncodingName}/{audio.SendCodec.ClockRate}/{audio.SendCodec.Channels}.", nameof(audio));

    private static SrtpProfile CheckKeys(string suite, byte[] keySalt)
    {
        if (!SrtpSuiteName.TryParse(suite, out SrtpProfile profile))
        {
            throw new ArgumentException($"Unsupported SRTP crypto suite '{suite}' (RFC 4568 §6.2).");
        }

        if (keySalt is null || keySalt.Length != SrtpKeyParams.MasterKeyLength + SrtpKeyParams.MasterSaltLength)
        {
            throw new ArgumentException($"An AES_CM_128 key||salt is {SrtpKeyParams.MasterKeyLength + SrtpKeyParams.MasterSaltLength} octets (RFC 4568 §6.2.1).");
        }

        return profile;
    }

    private static SrtpContext CreateContext(string suite, byte[] keySalt) =>
        new(CheckKeys(suite, keySalt), keySalt.AsSpan(0, SrtpKeyParams.MasterKeyLength), keySalt.AsSpan(SrtpKeyParams.MasterKeyLength));

    private static bool SameKeys(SrtpKeys? a, SrtpKeys? b) =>
        a is null ? b is null
        : b is not null && a.Suite == b.Suite && a.LocalKeySalt.AsSpan().SequenceEqual(b.LocalKeySalt) && a.RemoteKeySalt.AsSpan().SequenceEqual(b.RemoteKeySalt);

    private void ApplySrtp(SrtpKeys? keys)
    {
        _srtpSend?.Dispose();
        _srtpReceive?.Dispose();
        _srtpSend = null;
        _srtpReceive = null;
        if (keys is null)
        {
            return;
        }

        // RFC 4568 §6.1: we protect with our key; the peer protects with the key it offered/answered.
        _srtpSend = CreateContext(keys.Suite, keys.LocalKeySalt);
        _srtpReceive = CreateContext(keys.Suite, keys.RemoteKeySalt);
    }

    private void Raise(in MediaSessionEvent e) => EventRaised?.Invoke(e);
}
