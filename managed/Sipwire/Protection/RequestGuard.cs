// The protection filter every server role puts between its transport and its transaction layer.
// SPDX-License-Identifier: MIT

using System;
using System.Globalization;
using System.Text;
using Sipwire.Sip;
using Sipwire.Timing;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Protection;

/// <summary>
/// Looks at each received message before any transaction exists, sans-IO: drops what must never be
/// answered (requests whose answer would be reflected to a broadcast/multicast/unspecified address;
/// non-TLS traffic in TLS-only mode), and answers statelessly what is over its source's rate limit
/// (503 with Retry-After, RFC 3261 §21.5.4, at most one per Retry-After interval per source, the rest
/// dropped). ACKs and responses are never rate limited (an ACK has no answer and completes a transaction
/// already admitted; a response answers our own request), nor is CANCEL (it only acts on an INVITE that
/// was admitted, and refusing it would keep that call ringing). Counters tell what it did.
/// </summary>
public sealed class RequestGuard
{
    private readonly ProtectionOptions _options;
    private readonly TransactionLayer _layer;
    private readonly IClock _clock;
    private readonly SourceRateLimiter? _limiter;
    private readonly byte[] _buffer = new byte[4096];
    private readonly byte[] _retryAfter;
    private readonly long _replyInterval;

    /// <summary>Creates the guard; stateless answers go out through <paramref name="layer"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public RequestGuard(ProtectionOptions options, TransactionLayer layer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(layer);
        options.Validate();
        _options = options;
        _layer = layer;
        _clock = layer.Clock;
        if (options.RatePerSecond > 0) _limiter = new SourceRateLimiter(options.RatePerSecond, options.EffectiveBurst, options.MaxSources);
        _retryAfter = Encoding.ASCII.GetBytes(options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));
        _replyInterval = options.RetryAfterSeconds * 1_000_000L;
    }

    /// <summary>Requests answered 503 for their source's rate.</summary>
    public long RateLimited { get; private set; }

    /// <summary>Requests over the rate dropped without answer (beyond one 503 per Retry-After interval).</summary>
    public long RateDropped { get; private set; }

    /// <summary>Requests dropped because their answer would go to a broadcast/multicast/unspecified address.</summary>
    public long ReflectionDropped { get; private set; }

    /// <summary>Messages refused or dropped by TLS-only mode.</summary>
    public long TlsRefused { get; private set; }

    /// <summary>Decides what to do with <paramref name="message"/> from <paramref name="source"/>, updating the counters and the buckets.</summary>
    public GuardDecision Inspect(SipMessage message, in PeerAddress source)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_options.TlsOnly && source.Protocol != TransportProtocol.Tls)
        {
            TlsRefused++;
            // Documented rule (ProtectionOptions.TlsOnly): TCP requests learn why, everything else is dropped.
            return message.IsRequest && message.Method != SipMethod.Ack && source.Protocol == TransportProtocol.Tcp
                ? new GuardDecision(GuardAction.Reject, 403, "Forbidden (TLS Required)")
                : new GuardDecision(GuardAction.Drop, 0, "not TLS");
        }
        if (!message.IsRequest) return GuardDecision.Passed;
        if (ReflectionCheck.IsUnsafeRequest(message, source))
        {
            ReflectionDropped++;
            return new GuardDecision(GuardAction.Drop, 0, "Via or source is broadcast, multicast or unspecified");
        }
        if (_limiter is null || message.Method is SipMethod.Ack or SipMethod.Cancel) return GuardDecision.Passed;
        if (_limiter.TryTake(source, _clock.NowMicros, _replyInterval, out bool mayReply)) return GuardDecision.Passed;
        if (!mayReply)
        {
            RateDropped++;
            return new GuardDecision(GuardAction.Drop, 0, "over the rate limit");
        }
        RateLimited++;
        return new GuardDecision(GuardAction.Reject, 503, "Service Unavailable (Rate Limit)");
    }

    /// <summary>
    /// Inspects <paramref name="message"/> and carries the decision out: true when it should go on to the
    /// role (<see cref="TransactionLayer.Receive"/>); otherwise it was dropped or answered here.
    /// </summary>
    public bool Admit(SipMessage message, in PeerAddress source)
    {
        GuardDecision d = Inspect(message, source);
        if (d.Action == GuardAction.Pass) return true;
        if (d.Action == GuardAction.Reject) RespondStateless(message, source, d);
        return false;
    }

    private void RespondStateless(SipMessage request, in PeerAddress source, GuardDecision d)
    {
        var w = new SipMessageWriter(_buffer);
        // §8.2.6.2 / §16.9 stateless: the head copied from the request, a To tag of ours.
        SipResponses.WriteHead(ref w, request, source, d.StatusCode, Encoding.ASCII.GetBytes(d.Reason), "guard"u8);
        if (d.StatusCode == 503) w.Header("Retry-After"u8, _retryAfter);
        w.End();
        if (!w.Overflowed) _layer.SendStateless(w.Written, TransactionLayer.ResponseDestination(request, source));
    }
}
