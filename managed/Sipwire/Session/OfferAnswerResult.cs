// SPDX-License-Identifier: MIT
// The result of answering an offer or applying an answer.

using Sipwire.Sdp;

namespace Sipwire.Session;

/// <summary>
/// Success with the negotiated audio (and, when answering, the answer to send), or a failure reason.
/// A failed offer is answered with 488 Not Acceptable Here (RFC 3261 §13.3.1.1) carrying the reason.
/// </summary>
public sealed record OfferAnswerResult
{
    /// <summary>The answer to send (answering only).</summary>
    public SdpSessionDescription? Answer { get; init; }

    /// <summary>The audio stream agreed, or null on failure.</summary>
    public NegotiatedAudio? Audio { get; init; }

    /// <summary>Why the exchange failed, or null on success.</summary>
    public string? Failure { get; init; }

    /// <summary>True when <see cref="Audio"/> is set.</summary>
    public bool Succeeded => Failure is null;

    internal static OfferAnswerResult Fail(string reason) => new() { Failure = reason };
}
