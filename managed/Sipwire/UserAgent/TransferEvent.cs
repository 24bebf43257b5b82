// One call-transfer outcome as data (DESIGN.md: protocol outcomes are data, not exceptions).
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>A transfer event, raised on the call being transferred (or replaced) through <see cref="SipCall.TransferChanged"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="StatusCode">The SIP status behind it: the REFER's response, the status line of a NOTIFY's message/sipfrag body, or 0 when none.</param>
/// <param name="Reason">The reason phrase or a local explanation.</param>
/// <param name="NewCall">For <see cref="TransferEventKind.Referred"/> and <see cref="TransferEventKind.Replaced"/>: the new call.</param>
public readonly record struct TransferEvent(TransferEventKind Kind, int StatusCode, string Reason, SipCall? NewCall)
{
    /// <summary>One line for logs.</summary>
    public override string ToString() => $"Transfer {Kind} {StatusCode} {Reason}";
}
