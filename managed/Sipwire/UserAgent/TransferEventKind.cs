// What happened in a call transfer (RFC 3515 REFER, RFC 3891 Replaces).
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>The kinds of <see cref="TransferEvent"/>.</summary>
public enum TransferEventKind
{
    /// <summary>Transferor: the peer accepted our REFER (2xx, or a NOTIFY arrived first).</summary>
    Accepted = 0,
    /// <summary>Transferor: a NOTIFY reported a provisional status of the transferee's new call (100, 180, 183).</summary>
    Progress = 1,
    /// <summary>Transferor: a NOTIFY reported a 2xx: the transfer worked; the original call is being hung up.</summary>
    Succeeded = 2,
    /// <summary>Transferor: the REFER was refused or timed out, a NOTIFY reported a failure, or the subscription ended without an outcome. The call stays up.</summary>
    Failed = 3,
    /// <summary>Transferee: we accepted a REFER and placed <see cref="TransferEvent.NewCall"/> to the Refer-To target.</summary>
    Referred = 4,
    /// <summary>Transfer target: an INVITE with Replaces matched this call; <see cref="TransferEvent.NewCall"/> took its place and this call is being ended.</summary>
    Replaced = 5,
}
