// MediaSession, send side: microphone frames → echo canceller → packetization → encode → RTP → SRTP; RFC 4733 DTMF.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Dsp;
using Sipwire.Media.Dtmf;
using Sipwire.Media.Rtp;
using Sipwire.Media.Srtp;
using Sipwire.Session;

namespace Sipwire.Media.Session;

public sealed partial class MediaSession
{
    private const int DtmfQueueCapacity = 64;

    private readonly SampleRing _sendRing;
    private readonly byte[] _sendBuffer = new byte[MaxDatagram + 64];
    private readonly char[] _dtmfQueue = new char[DtmfQueueCapacity];
    private AudioPayloadCodec _sendCodec;
    private Resampler? _sendResampler;
    private short[] _sendApp = [];
    private short[] _sendPcm = [];
    private byte[] _sendPayload = [];
    private int _packetAppSamples;
    private int _packetRtpSamples;
    private int _packetMs;
    private bool _talkspurt = true;
    private DtmfSender _dtmfSender = new();
    private int _dtmfHead;
    private int _dtmfCount;
    private int _dtmfPacketsOfEvent;
    private int _dtmfGapLeft;
    private long _dtmfPacketsSent;
    private long _lastNowUs;

    /// <summary>
    /// Gives one microphone frame (<see cref="FrameSamples"/> PCM16 samples) taken at
    /// <paramref name="nowUs"/>. Packets go out as soon as a packet time (ptime) of audio is
    /// collected. While the direction does not allow sending (hold), the frames only advance the
    /// RTP timestamp (RFC 3550 §5.1).
    /// </summary>
    /// <exception cref="ArgumentException">The frame is not <see cref="FrameSamples"/> long.</exception>
    public void WriteAudio(ReadOnlySpan<short> frame, long nowUs)
    {
        if (frame.Length != _appFrame)
        {
            throw new ArgumentException($"A frame is {_appFrame} samples ({_options.FrameMs} ms at {_options.SampleRate} Hz); got {frame.Length}.", nameof(frame));
        }

        lock (_sync)
        {
            _lastNowUs = nowUs;
            if (_stopped)
            {
                return;
            }

            ReadOnlySpan<short> mic = frame;
            if (_echoCanceller is not null)
            {
                // Issue 9 item 5: the far end is what the loudspeaker played (the frames ReadAudio gave).
                int chunk = _farChunk.Length;
                for (int offset = 0; offset < _appFrame; offset += chunk)
                {
                    _farReference!.Read(_farChunk);
                    _echoCanceller.Process(frame.Slice(offset, chunk), _farChunk, _micFrame.AsSpan(offset, chunk));
                }

                mic = _micFrame;
            }

            _sendRing.Write(mic);
            while (_sendRing.Count >= _packetAppSamples)
            {
                _sendRing.Read(_sendApp);
                SendPacketTime(nowUs);
            }
        }
    }

    /// <summary>
    /// Queues DTMF digits (0-9, *, #, A-D) to send as RFC 4733 telephone-events, each
    /// <see cref="MediaSessionOptions.DtmfDurationMs"/> long with <see cref="MediaSessionOptions.DtmfGapMs"/>
    /// between them. Returns false when the peer did not agree telephone-event (use SIP INFO then),
    /// the session has stopped, or the queue (64 digits) has no room for all of them; nothing is queued then.
    /// </summary>
    /// <exception cref="ArgumentException">A character is not a DTMF digit; nothing is queued.</exception>
    public bool SendDtmf(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        foreach (char c in digits)
        {
            if (!TelephoneEvent.TryFromDigit(c, out _))
            {
                throw new ArgumentException($"'{c}' is not a DTMF digit (0-9, *, #, A-D).", nameof(digits));
            }
        }

        lock (_sync)
        {
            if (_stopped || _audio.TelephoneEventPayloadType < 0 || _dtmfCount + digits.Length > DtmfQueueCapacity)
            {
                return false;
            }

            foreach (char c in digits)
            {
                _dtmfQueue[(_dtmfHead + _dtmfCount) % DtmfQueueCapacity] = c;
                _dtmfCount++;
            }

            return true;
        }
    }

    private void ApplySendSide(NegotiatedAudio audio, bool codecChanged)
    {
        _sender.PayloadType = (byte)audio.SendPayloadType;
        if (codecChanged)
        {
            AudioPayloadCodec codec = _sendCodec;
            _packetMs = codec is OpusPayloadCodec opus ? opus.FrameSamples * 1000 / _options.SampleRate : audio.PTimeMs;
            _packetAppSamples = _options.SampleRate * _packetMs / 1000;
            int codecSamples = codec.AudioRate * _packetMs / 1000;
            _packetRtpSamples = codec.RtpClockRate * _packetMs / 1000;
            _sendResampler = codec.AudioRate != _options.SampleRate ? new Resampler(_options.SampleRate, codec.AudioRate) : null;
            _sendApp = new short[_packetAppSamples];
            _sendPcm = new short[codecSamples];
            _sendPayload = new byte[Math.Min(codec.MaxPayloadBytes(codecSamples), MaxDatagram - RtpHeader.FixedSize - 32)];
            // A digit in progress cannot continue with another packet interval: it is cut short.
            _dtmfSender = new DtmfSender((uint)_packetRtpSamples);
            _sendRing.Clear();
            _talkspurt = true;
        }

        if (!audio.Send)
        {
            _sendRing.Clear();
        }
    }

    private void SendPacketTime(long nowUs)
    {
        if (!_audio.Send)
        {
            // RFC 3264 §8.4: on hold nothing is sent; RFC 3550 §5.1: the timestamp keeps running.
            _sender.SkipSamples((uint)_packetRtpSamples);
            _talkspurt = true;
            return;
        }

        if (TrySendDtmf(nowUs))
        {
            // RFC 4733 §2.5.1.1: the event replaces the audio of these packet times.
            _sender.SkipSamples((uint)_packetRtpSamples);
            _talkspurt = true;
            return;
        }

        ReadOnlySpan<short> pcm = _sendApp;
        if (_sendResampler is not null)
        {
            int n = _sendResampler.Process(_sendApp, _sendPcm);
            pcm = _sendPcm.AsSpan(0, n);
        }

        int length = _sendCodec.Encode(pcm, _sendPayload);
        // RFC 3551 §4.1: the marker bit flags the first packet of a talkspurt.
        int packet = _sender.WritePacket(_sendBuffer, _sendPayload.AsSpan(0, length), (uint)_packetRtpSamples, _talkspurt, nowUs);
        _talkspurt = false;
        SendRtp(packet);
    }

    private bool TrySendDtmf(long nowUs)
    {
        int pt = _audio.TelephoneEventPayloadType;
        if (pt < 0)
        {
            _dtmfCount = 0;
            return false;
        }

        if (!_dtmfSender.IsActive)
        {
            if (_dtmfGapLeft > 0)
            {
                _dtmfGapLeft--;
                return false;
            }

            if (_dtmfCount == 0)
            {
                return false;
            }

            char digit = _dtmfQueue[_dtmfHead];
            _dtmfHead = (_dtmfHead + 1) % DtmfQueueCapacity;
            _dtmfCount--;
            TelephoneEvent.TryFromDigit(digit, out byte code);
            // RFC 4733 §2.5.1.1: the event's timestamp is the start of the tone, in the audio's clock.
            _dtmfSender.Start(code, _sender.NextTimestamp);
            _dtmfPacketsOfEvent = 0;
        }

        int eventPackets = Math.Max(1, (_options.DtmfDurationMs + _packetMs - 1) / _packetMs);
        if (_dtmfPacketsOfEvent == eventPackets)
        {
            _dtmfSender.Stop();
        }

        Span<byte> payload = stackalloc byte[TelephoneEvent.Size];
        _dtmfSender.TryNextPacket(payload, out uint timestamp, out bool marker);
        _dtmfPacketsOfEvent++;
        int packet = _sender.WritePacket(_sendBuffer, (byte)pt, payload, timestamp, marker, nowUs);
        _dtmfPacketsSent++;
        SendRtp(packet);
        if (!_dtmfSender.IsActive)
        {
            _dtmfGapLeft = Math.Max(1, (_options.DtmfGapMs + _packetMs - 1) / _packetMs);
        }

        return true;
    }

    private void SendRtp(int length)
    {
        if (length <= 0)
        {
            _sendErrors++;
            return;
        }

        if (_srtpSend is not null && _srtpSend.ProtectRtp(_sendBuffer, length, out length) != SrtpStatus.Ok)
        {
            _sendErrors++;
            return;
        }

        if (_io.Send(MediaComponent.Rtp, _sendBuffer.AsSpan(0, length), _rtpLatch.Destination))
        {
            _packetsSent++;
        }
        else
        {
            _sendErrors++;
        }
    }
}
