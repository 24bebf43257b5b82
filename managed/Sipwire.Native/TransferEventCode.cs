// SPDX-License-Identifier: MIT
// The event codes of sw_call_transfer_cb (RFC 3515 REFER, RFC 3891 Replaces).

namespace Sipwire.Native;

/// <summary>What happened in a call transfer (the event argument of sw_call_transfer_cb).</summary>
[CName("sw_transfer_event")]
internal enum TransferEventCode
{
    /// <summary>Transferor: the peer accepted our REFER (202).</summary>
    [CName("SW_TRANSFER_ACCEPTED")]
    Accepted = 0,

    /// <summary>Transferor: a NOTIFY reported progress (a 1xx of the new call).</summary>
    [CName("SW_TRANSFER_PROGRESS")]
    Progress = 1,

    /// <summary>Transferor: the transfer target answered; this call is hung up.</summary>
    [CName("SW_TRANSFER_SUCCEEDED")]
    Succeeded = 2,

    /// <summary>Transferor: the REFER was refused or the new call failed; this call stays up.</summary>
    [CName("SW_TRANSFER_FAILED")]
    Failed = 3,

    /// <summary>Transferee: the peer referred us; new_call is the call we placed to the target.</summary>
    [CName("SW_TRANSFER_REFERRED")]
    Referred = 4,

    /// <summary>Transfer target: new_call (with Replaces) takes this call's place; this call ends.</summary>
    [CName("SW_TRANSFER_REPLACED")]
    Replaced = 5,
}
