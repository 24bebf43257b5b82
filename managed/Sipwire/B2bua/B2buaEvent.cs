// One bridged-call outcome as data (DESIGN.md: protocol outcomes are data, not exceptions).
// SPDX-License-Identifier: MIT

namespace Sipwire.B2bua;

/// <summary>A B2BUA event.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="CallerCallId">The Call-ID of the caller leg.</param>
/// <param name="CalleeCallId">The Call-ID of the callee leg ("" when none was created).</param>
/// <param name="StatusCode">The SIP status behind it (0 when none).</param>
/// <param name="Reason">The reason phrase or a local explanation.</param>
/// <param name="From">For <see cref="B2buaEventKind.Ended"/> and <see cref="B2buaEventKind.Modified"/>: the leg whose request caused it.</param>
public readonly record struct B2buaEvent(B2buaEventKind Kind, string CallerCallId, string CalleeCallId, int StatusCode, string Reason, B2buaSide From)
{
    /// <summary>One line for logs.</summary>
    public override string ToString() => $"b2bua {Kind} {StatusCode} {Reason} caller={CallerCallId} callee={CalleeCallId}";
}
