// SipCall's transfer side: blind and attended transfer (RFC 3515, RFC 3891, RFC 5589) and the events of both ends.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.UserAgent;

public sealed partial class SipCall
{
    internal TransferOutgoing? _transferOut;
    internal TransferIncoming? _transferIn;

    /// <summary>Raised for transfer events of this call (as transferor, transferee or replaced call), on the endpoint's thread.</summary>
    public event Action<TransferEvent>? TransferChanged;

    /// <summary>
    /// Raised when the peer sends a REFER in this call, before it is answered: call
    /// <see cref="TransferRequest.Decline"/> to refuse it; without that the transfer is accepted
    /// (202) and the new call placed.
    /// </summary>
    public event Action<TransferRequest>? TransferRequested;

    /// <summary>True while a transfer we asked for (<see cref="Transfer"/>, <see cref="TransferTo"/>) has no outcome yet.</summary>
    public bool IsTransferring => _transferOut is not null;

    /// <summary>For a call we placed because of a REFER: the call the REFER arrived in.</summary>
    public SipCall? ReferredFrom { get; internal set; }

    /// <summary>For a call that arrived with Replaces (RFC 3891): the call it replaced.</summary>
    public SipCall? ReplacedCall { get; internal set; }

    /// <summary>
    /// Blind transfer (RFC 5589 §6): REFER in this call with Refer-To: <paramref name="targetUri"/>,
    /// then follows the NOTIFY reports; on success the call is hung up, on failure it stays up.
    /// With <paramref name="reportProgress"/> false the REFER carries Refer-Sub: false (RFC 4488)
    /// and, when the peer honours it, the call is hung up once the REFER is accepted.
    /// </summary>
    /// <returns>False when the call is not established, a transfer is already running, or the target is not a SIP URI.</returns>
    public bool Transfer(string targetUri, bool reportProgress = true) => _core.TransferCall(this, targetUri, reportProgress);

    /// <summary>
    /// Attended transfer (RFC 5589 §7): REFER in this call whose Refer-To is the remote target of
    /// <paramref name="consultation"/> with a Replaces header naming that call's dialog (RFC 3891 §5),
    /// so the peer's new call replaces the consultation. On success this call is hung up; the
    /// transfer target ends the consultation call itself.
    /// </summary>
    /// <returns>False when either call is not established or a transfer is already running.</returns>
    public bool TransferTo(SipCall consultation, bool reportProgress = true) => _core.TransferCallTo(this, consultation, reportProgress);

    internal void RaiseTransfer(TransferEvent e) => TransferChanged?.Invoke(e);

    internal void RaiseTransferRequested(TransferRequest request) => TransferRequested?.Invoke(request);
}
