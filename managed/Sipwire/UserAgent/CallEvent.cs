// One call outcome as data (DESIGN.md: protocol outcomes are data, not exceptions).
// SPDX-License-Identifier: MIT

using Sipwire.Session;

namespace Sipwire.UserAgent;

/// <summary>A call event.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="StatusCode">The SIP status behind it (180, 200, 486, 487, 408, ...; 0 when none).</param>
/// <param name="Reason">The reason phrase or a local explanation.</param>
/// <param name="ByLocal">For <see cref="CallEventKind.Ended"/>: true when this side ended the call.</param>
/// <param name="Audio">The negotiated audio after this event, when there is one.</param>
public readonly record struct CallEvent(CallEventKind Kind, int StatusCode, string Reason, bool ByLocal, NegotiatedAudio? Audio)
{
    /// <summary>One line for logs.</summary>
    public override string ToString() => $"{Kind} {StatusCode} {Reason}{(Kind == CallEventKind.Ended ? ByLocal ? " (local)" : " (remote)" : "")}";
}
