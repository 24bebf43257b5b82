// MediaSession, receive side: SRTP → RTP checks → symmetric latch → jitter buffer → decode/PLC → frames; RTCP; DTMF and CN in.
// SPDX-License-Identifier: MIT

using System;
using System.Net;
using Sipwire.Dsp;
using Sipwire.Media.Dtmf;
using Sipwire.Media.Jitter;
using Sipwire.Media.Rtcp;
using Sipwire.Media.Rtp;
using Sipwire.Media.Srtp;
using Sipwire.Session;

namespace Sipwire.Media.Session;

public sealed partial class MediaSession
{
    private const int MaxDatagramsPerPoll = 64;
    private const int UdpIpHeaders = 28; // RFC 3550 §6.2: RTCP sizes count the IP and UDP headers

    private readonly SampleRing _playRing;
    private readonly byte[] _receiveBuffer = new byte[MaxDatagram + 1];
    private readonly byte[] _rtcpBuffer = new byte[MaxDatagram + 64];
    private readonly DtmfReceiver _dtmfReceiver = new();
    private readonly DtmfNotification[] _dtmfNotifications = new DtmfNotification[3];
    private readonly ComfortNoiseDecoder _comfortNoise = new();
    private readonly short[] _decodePcm = new short[16000 * 120 / 1000]; // the longest packet (120 ms) at the highest codec rate
    private readonly short[] _resampledPcm = new short[16000 * 120 / 1000];
    private RtpSource? _source;
    private RtpSource? _candidate;
    private JitterBuffer? _jitter;
    private int _jitterClock;
    private int _jitterFrame;
    private int _durationCandidate;
    private int _durationCount;
    private byte[] _jitterIn = [];
    private byte[] _jitterOut = [];
    private AudioPayloadCodec? _lastDecoder;
    private Resampler? _receiveResampler;
    private bool _inComfortNoise;
    private int _byesSeen;
    private long _framesDecoded;
    private long _framesConcealed;
    private long _fecRecovered;

    /// <summary>
    /// Takes in every waiting RTP and RTCP datagram, ends DTMF events whose end packets were lost,
    /// and sends RTCP when its interval is due (RFC 3550 §6.3). Call it from the endpoint's loop,
    /// at least once per frame time; events are raised here.
    /// </summary>
    public void Poll(long nowUs)
    {
        lock (_sync)
        {
            _lastNowUs = nowUs;
            if (_stopped)
            {
                return;
            }

            for (int i = 0; i < MaxDatagramsPerPoll; i++)
            {
                int n = _io.Receive(MediaComponent.Rtp, _receiveBuffer, out IPEndPoint? source);
                if (n < 0)
                {
                    break;
                }

                OnRtp(n, source, nowUs);
            }

            for (int i = 0; i < MaxDatagramsPerPoll; i++)
            {
                int n = _io.Receive(MediaComponent.Rtcp, _receiveBuffer, out IPEndPoint? source);
                if (n < 0)
                {
                    break;
                }

                OnRtcp(n, source, nowUs);
            }

            if (_dtmfReceiver.Poll(nowUs, out DtmfNotification note))
            {
                RaiseDtmf(note);
            }

            _scheduler.Members = _source is { IsValid: true } ? 2 : 1;
            _scheduler.WeSent = _sender.HasSent && _audio.Send;
            if (_scheduler.OnTimer(nowUs))
            {
                SendRtcp(nowUs, bye: false);
            }
        }
    }

    /// <summary>
    /// Takes one loudspeaker frame (<see cref="FrameSamples"/> PCM16 samples) to be played at
    /// <paramref name="nowUs"/>: received audio after the jitter buffer and decoder, concealment
    /// for what was lost, comfort noise after an RFC 3389 CN packet, silence before the first
    /// packet, while not receiving (hold) and after <see cref="Stop"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The frame is not <see cref="FrameSamples"/> long.</exception>
    public void ReadAudio(Span<short> frame, long nowUs)
    {
        if (frame.Length != _appFrame)
        {
            throw new ArgumentException($"A frame is {_appFrame} samples ({_options.FrameMs} ms at {_options.SampleRate} Hz); got {frame.Length}.", nameof(frame));
        }

        lock (_sync)
        {
            _lastNowUs = nowUs;
            if (_stopped || !_audio.Receive)
            {
                frame.Clear();
            }
            else
            {
                while (_playRing.Count < _appFrame)
                {
                    // The period produced now starts playing once what is already queued has played.
                    long playUs = nowUs + (_playRing.Count * 1_000_000L / _options.SampleRate);
                    if (!PlayoutPeriod(playUs))
                    {
                        break;
                    }
                }

                _playRing.Read(frame);
            }

            _farReference?.Write(frame);
        }
    }

    private void ApplyReceiveSide(NegotiatedAudio audio)
    {
        var previous = (AudioPayloadCodec?[])_receiveCodecs.Clone();
        Array.Clear(_receiveCodecs);
        foreach ((int pt, AudioCodec codec) in audio.ReceivePayloadTypes)
        {
            if ((uint)pt > 127)
            {
                continue;
            }

            // Keep decoder state across a re-INVITE that keeps the codec; share the send codec's
            // instance (its encoder and decoder states are separate) to save memory.
            _receiveCodecs[pt] = previous[pt] is { } kept && kept.Codec == codec ? kept
                : codec == _sendCodec.Codec ? _sendCodec
                : AudioPayloadCodec.Create(codec, _options.SampleRate, audio.PTimeMs);
        }

        if (!audio.Receive)
        {
            _playRing.Clear();
        }
    }

    private void OnRtp(int length, IPEndPoint? source, long nowUs)
    {
        if (length > MaxDatagram || source is null)
        {
            _malformed++;
            return;
        }

        if (_srtpReceive is not null)
        {
            SrtpStatus status = _srtpReceive.UnprotectRtp(_receiveBuffer, length, out length);
            if (status != SrtpStatus.Ok)
            {
                // RFC 3711 §3.3: a packet that fails authentication or the replay check is dropped, never played.
                if (status == SrtpStatus.Malformed)
                {
                    _malformed++;
                }
                else
                {
                    _srtpRejected++;
                }

                return;
            }
        }

        ReadOnlySpan<byte> packet = _receiveBuffer.AsSpan(0, length);
        if (!RtpHeader.TryParse(packet, out RtpHeader header, out _))
        {
            _malformed++;
            return;
        }

        if (!_audio.Receive)
        {
            _droppedNotReceiving++;
            return;
        }

        if (!AcceptSource(header, nowUs))
        {
            return;
        }

        if (_rtpLatch.OnValidPacket(source))
        {
            Raise(new MediaSessionEvent(MediaSessionEventKind.RemoteLatched, '\0', 0, header.Ssrc, _rtpLatch.Destination));
        }

        _packetsReceived++;
        ReadOnlySpan<byte> payload = header.GetPayload(packet);
        if (header.PayloadType == _audio.TelephoneEventPayloadType)
        {
            int count = _dtmfReceiver.OnPacket(payload, header.Timestamp, nowUs, _dtmfNotifications);
            for (int i = 0; i < count; i++)
            {
                RaiseDtmf(_dtmfNotifications[i]);
            }

            return;
        }

        AudioPayloadCodec? codec = _receiveCodecs[header.PayloadType];
        if (codec is null)
        {
            if (header.PayloadType == ComfortNoisePayloadType)
            {
                // RFC 3389 §4: a CN packet starts (or refreshes) a silence period; the noise is
                // generated until audio resumes.
                _inComfortNoise = _comfortNoise.TryDecode(payload, out _) || _inComfortNoise;
                return;
            }

            _unknownPayloadType++;
            return;
        }

        _inComfortNoise = false;
        _source!.UpdateJitter(header.Timestamp, nowUs);
        EnsureJitter(codec, payload);
        if (payload.Length + 1 > _jitterIn.Length)
        {
            _malformed++;
            return;
        }

        // The payload type travels with the payload through the buffer: the peer may switch
        // between the payload types of the answer at any packet (RFC 3264 §5.1).
        _jitterIn[0] = header.PayloadType;
        payload.CopyTo(_jitterIn.AsSpan(1));
        _jitter!.Put(_jitterIn.AsSpan(0, payload.Length + 1), header.Timestamp, header.SequenceNumber, header.Marker, nowUs);
    }

    private bool AcceptSource(in RtpHeader header, long nowUs)
    {
        if (_source is not null && _source.Ssrc == header.Ssrc)
        {
            RtpSequenceResult result = _source.UpdateSequence(header.SequenceNumber, out _);
            if (result == RtpSequenceResult.Restarted)
            {
                // RFC 3550 A.1: the sender restarted its sequence; start the playout afresh.
                _jitter?.Reset();
            }

            // RFC 3550 A.1: packets of a source on probation or after a bad jump are not used.
            return result is RtpSequenceResult.Accepted or RtpSequenceResult.Reordered or RtpSequenceResult.Restarted;
        }

        // A new SSRC goes on probation (RFC 3550 A.1: MIN_SEQUENTIAL packets in sequence) before it
        // replaces the current one, so a stray packet cannot reset the stream.
        if (_candidate is null || _candidate.Ssrc != header.Ssrc)
        {
            _candidate = new RtpSource(header.Ssrc, header.SequenceNumber, _sendCodec.RtpClockRate);
        }

        if (_candidate.UpdateSequence(header.SequenceNumber, out _) != RtpSequenceResult.Accepted)
        {
            return false;
        }

        _source = _candidate;
        _candidate = null;
        _reporter.AddSource(_source);
        _jitter?.Reset();
        _playRing.Clear();
        foreach (AudioPayloadCodec? codec in _receiveCodecs)
        {
            codec?.Reset();
        }

        _lastDecoder = null;
        Raise(new MediaSessionEvent(MediaSessionEventKind.RemoteStreamStarted, '\0', 0, header.Ssrc, null));
        _ = nowUs;
        return true;
    }

    private void EnsureJitter(AudioPayloadCodec codec, ReadOnlySpan<byte> payload)
    {
        int clock = codec.RtpClockRate;
        int duration = codec.PayloadDuration(payload);
        bool plausible = duration >= clock / 200 && duration <= clock * 120 / 1000;
        if (_jitter is null || _jitterClock != clock)
        {
            CreateJitter(codec, plausible ? duration : clock * _audio.PTimeMs / 1000);
            return;
        }

        if (!plausible || duration == _jitterFrame)
        {
            _durationCount = 0;
            return;
        }

        // The peer packetizes differently from what a=ptime said: follow it once three packets agree.
        if (duration == _durationCandidate)
        {
            if (++_durationCount >= 3)
            {
                CreateJitter(codec, duration);
            }
        }
        else
        {
            _durationCandidate = duration;
            _durationCount = 1;
        }
    }

    private void CreateJitter(AudioPayloadCodec codec, int frame)
    {
        int clock = codec.RtpClockRate;
        long frameUs = (long)frame * 1_000_000 / clock;
        int codecSamples = (int)((long)frame * codec.AudioRate / clock);
        int maxPayload = 1 + Math.Min(MaxDatagram, codec.MaxPayloadBytes(codecSamples));
        _jitter = new JitterBuffer(new JitterBufferOptions
        {
            ClockRate = clock,
            FrameSamples = frame,
            MaxPayloadBytes = maxPayload,
            Capacity = (int)(_options.JitterMaxDelayUs / frameUs) + 4,
            MinDelayUs = _options.JitterMinDelayUs,
            MaxDelayUs = _options.JitterMaxDelayUs,
            InitialDelayUs = Math.Clamp(60_000, _options.JitterMinDelayUs, _options.JitterMaxDelayUs),
        });
        _jitterClock = clock;
        _jitterFrame = frame;
        _durationCount = 0;
        _jitterIn = new byte[maxPayload];
        _jitterOut = new byte[maxPayload];
    }

    /// <summary>Produces one jitter-buffer period into the play ring; false while buffering (nothing produced).</summary>
    private bool PlayoutPeriod(long playUs)
    {
        if (_jitter is null)
        {
            return false;
        }

        JitterBufferFrame frame = _jitter.Get(playUs, _jitterOut);
        switch (frame.Status)
        {
            case JitterBufferStatus.Buffering:
                return false;
            case JitterBufferStatus.Frame:
                AudioPayloadCodec? codec = _receiveCodecs[_jitterOut[0] & 0x7F];
                int samples = codec?.Decode(_jitterOut.AsSpan(1, frame.Length - 1), _decodePcm) ?? -1;
                if (samples < 0)
                {
                    // Malformed payload (or its payload type was dropped by a re-INVITE): conceal it.
                    _malformed++;
                    Conceal();
                    return true;
                }

                _framesDecoded++;
                _lastDecoder = codec;
                Emit(_decodePcm.AsSpan(0, samples), codec!.AudioRate);
                return true;
            case JitterBufferStatus.Underrun when _inComfortNoise && _lastDecoder is not null:
                Span<short> noise = _decodePcm.AsSpan(0, PeriodSamples(_lastDecoder));
                _comfortNoise.Generate(noise);
                Emit(noise, _lastDecoder.AudioRate);
                return true;
            case JitterBufferStatus.Missing when _lastDecoder is OpusPayloadCodec opus && TryRecoverOpus(opus, frame.Timestamp):
                return true;
            default:
                // Missing (loss), Expand (delay grows), Underrun (talkspurt end or outage).
                Conceal();
                return true;
        }
    }

    private bool TryRecoverOpus(OpusPayloadCodec opus, uint lostTimestamp)
    {
        // RFC 7587 §3.1 / RFC 6716 §2.1.7: the next packet's in-band FEC describes the lost one.
        int length = _jitter!.Peek(lostTimestamp + (uint)_jitterFrame, _jitterOut);
        if (length < 2 || _receiveCodecs[_jitterOut[0] & 0x7F] != opus)
        {
            return false;
        }

        Span<short> pcm = _decodePcm.AsSpan(0, PeriodSamples(opus));
        if (opus.RecoverFromNext(_jitterOut.AsSpan(1, length - 1), pcm) < 0)
        {
            return false;
        }

        _framesConcealed++;
        _fecRecovered++;
        Emit(pcm, opus.AudioRate);
        return true;
    }

    private int PeriodSamples(AudioPayloadCodec codec) => (int)((long)_jitterFrame * codec.AudioRate / _jitterClock);

    private void Conceal()
    {
        _framesConcealed++;
        if (_lastDecoder is null)
        {
            _playRing.WriteSilence((int)((long)_jitterFrame * _options.SampleRate / _jitterClock));
            return;
        }

        Span<short> pcm = _decodePcm.AsSpan(0, PeriodSamples(_lastDecoder));
        _lastDecoder.Conceal(pcm);
        Emit(pcm, _lastDecoder.AudioRate);
    }

    private void Emit(ReadOnlySpan<short> pcm, int rate)
    {
        if (rate == _options.SampleRate)
        {
            _playRing.Write(pcm);
            return;
        }

        if (_receiveResampler is null || _receiveResampler.InputRate != rate)
        {
            _receiveResampler = new Resampler(rate, _options.SampleRate);
        }

        int n = _receiveResampler.Process(pcm, _resampledPcm);
        _playRing.Write(_resampledPcm.AsSpan(0, n));
    }

    private void OnRtcp(int length, IPEndPoint? source, long nowUs)
    {
        if (length > MaxDatagram || source is null)
        {
            _malformed++;
            return;
        }

        if (_srtpReceive is not null)
        {
            SrtpStatus status = _srtpReceive.UnprotectRtcp(_receiveBuffer, length, out length);
            if (status != SrtpStatus.Ok)
            {
                if (status == SrtpStatus.Malformed)
                {
                    _malformed++;
                }
                else
                {
                    _srtpRejected++;
                }

                return;
            }
        }

        if (_reporter.OnCompound(_receiveBuffer.AsSpan(0, length), nowUs + _wallOffsetUs) != RtcpParseError.None)
        {
            _malformed++;
            return;
        }

        _rtcpReceived++;
        _scheduler.OnReceived(length + UdpIpHeaders);
        _rtcpLatch.OnValidPacket(source);
        if (_reporter.ByesReceived != _byesSeen)
        {
            _byesSeen = _reporter.ByesReceived;
            Raise(new MediaSessionEvent(MediaSessionEventKind.RemoteBye, '\0', 0, _source?.Ssrc ?? 0, null));
        }
    }

    private void SendRtcp(long nowUs, bool bye)
    {
        int length = _reporter.WriteReport(_rtcpBuffer, nowUs + _wallOffsetUs, bye);
        if (length <= 0)
        {
            _sendErrors++;
            return;
        }

        int wire = length;
        if (_srtpSend is not null && _srtpSend.ProtectRtcp(_rtcpBuffer, length, out wire) != SrtpStatus.Ok)
        {
            _sendErrors++;
            return;
        }

        if (_io.Send(MediaComponent.Rtcp, _rtcpBuffer.AsSpan(0, wire), _rtcpLatch.Destination))
        {
            _rtcpSent++;
        }
        else
        {
            _sendErrors++;
        }

        _scheduler.OnSent(wire + UdpIpHeaders, nowUs);
    }

    private void RaiseDtmf(in DtmfNotification note)
    {
        int durationMs = note.Ended ? (int)((long)note.Duration * 1000 / _sendCodec.RtpClockRate) : 0;
        Raise(new MediaSessionEvent(note.Ended ? MediaSessionEventKind.DtmfEnd : MediaSessionEventKind.DtmfBegin,
            TelephoneEvent.ToDigit(note.Event), durationMs, _source?.Ssrc ?? 0, null));
    }
}
