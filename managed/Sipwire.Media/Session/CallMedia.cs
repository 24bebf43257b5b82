// Binds a MediaSession to a SipCall: starts it on early media or answer, applies re-INVITE changes, stops it when the call ends.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.Net.Sockets;
using Sipwire.Session;
using Sipwire.UserAgent;

namespace Sipwire.Media.Session;

/// <summary>
/// The media of one <see cref="SipCall"/>. It follows the call's events (raised on the endpoint's
/// thread): <see cref="CallEventKind.Ringing"/> with audio (183 early media, RFC 3960) or
/// <see cref="CallEventKind.Established"/> starts the <see cref="MediaSession"/> on the call's local
/// RTP port (allocated by the UA core, <see cref="SdpNegotiator.LocalRtpPort"/>);
/// <see cref="CallEventKind.MediaUpdated"/> (hold, resume, new codec) updates it;
/// <see cref="CallEventKind.Ended"/> stops it (RTCP BYE) and closes the sockets. The UA core does
/// not know about media: the dependency points from Sipwire.Media to Sipwire only.
/// </summary>
public sealed class CallMedia : IDisposable
{
    private readonly Func<IMediaPacketIo> _openIo;
    private readonly MediaSessionOptions? _options;
    private readonly Func<long> _clock;
    private readonly SipCall? _call;

    /// <summary>
    /// Attaches to <paramref name="call"/>. <paramref name="openIo"/> opens the call's socket pair
    /// (by default UDP on the negotiator's address and port); <paramref name="clock"/> gives the
    /// monotonic time in microseconds (by default a <see cref="Stopwatch"/>).
    /// </summary>
    public CallMedia(SipCall call, MediaSessionOptions? options = null, Func<SipCall, IMediaPacketIo>? openIo = null, Func<long>? clock = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        _call = call;
        _options = options;
        _clock = clock ?? (() => Stopwatch.GetTimestamp() * 1_000_000 / Stopwatch.Frequency);
        _openIo = openIo is null
            ? () => new UdpMediaPacketIo(call.Negotiator.LocalAddress, call.Negotiator.LocalRtpPort)
            : () => openIo(call);
        call.Changed += OnCallEvent;
        if (call.Audio is { } audio && call.State is CallState.Active or CallState.Ringing)
        {
            Start(audio);
        }
    }

    /// <summary>For tests: a binding fed with call events directly.</summary>
    internal CallMedia(Func<IMediaPacketIo> openIo, MediaSessionOptions? options, Func<long> clock)
    {
        _openIo = openIo;
        _options = options;
        _clock = clock;
    }

    /// <summary>Raised for every event of the session (DTMF, latching...), on the thread that calls <see cref="Poll"/>.</summary>
    public event Action<MediaSessionEvent>? EventRaised;

    /// <summary>Raised when the media could not start or update (port in use, codec without implementation, bad keys); the call itself goes on.</summary>
    public event Action<string>? Failed;

    /// <summary>The running session, or null before the answer, after the end, or after a failure.</summary>
    public MediaSession? Session { get; private set; }

    /// <summary>The last failure, or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Drives the session (received packets, RTCP, events); call it from the endpoint's loop.</summary>
    public void Poll() => Session?.Poll(_clock());

    /// <summary>Detaches from the call and stops the media.</summary>
    public void Dispose()
    {
        if (_call is not null)
        {
            _call.Changed -= OnCallEvent;
        }

        Stop();
    }

    internal void OnCallEvent(CallEvent e)
    {
        switch (e.Kind)
        {
            case CallEventKind.Ringing when e.Audio is not null:
            case CallEventKind.Established:
            case CallEventKind.MediaUpdated:
                NegotiatedAudio? audio = e.Audio ?? _call?.Audio;
                if (audio is null)
                {
                    return;
                }

                if (Session is null)
                {
                    Start(audio);
                }
                else
                {
                    Update(audio);
                }

                break;
            case CallEventKind.Ended:
                Stop();
                break;
        }
    }

    private void Start(NegotiatedAudio audio)
    {
        IMediaPacketIo? io = null;
        try
        {
            io = _openIo();
            Session = new MediaSession(audio, io, _options, _clock());
            Session.EventRaised += Forward;
            LastError = null;
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            io?.Dispose();
            Fail($"media did not start: {ex.Message}");
        }
    }

    private void Update(NegotiatedAudio audio)
    {
        try
        {
            Session!.Update(audio);
        }
        catch (ArgumentException ex)
        {
            // The previous media stays in force (MediaSession.Update changes nothing on error).
            Fail($"media update refused: {ex.Message}");
        }
    }

    private void Stop()
    {
        MediaSession? session = Session;
        Session = null;
        if (session is not null)
        {
            session.EventRaised -= Forward;
            session.Stop(_clock());
        }
    }

    private void Forward(MediaSessionEvent e) => EventRaised?.Invoke(e);

    private void Fail(string message)
    {
        LastError = message;
        Failed?.Invoke(message);
    }
}
