// The routing decision for one incoming INVITE: a target to call, or a rejection status.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Transport;

namespace Sipwire.B2bua;

/// <summary>
/// What the routing hook of <see cref="B2buaOptions.Route"/> decided: call <see cref="TargetUri"/> at
/// <see cref="Destination"/>, or answer the caller with <see cref="StatusCode"/> (300-699).
/// </summary>
public readonly record struct B2buaRoute
{
    private B2buaRoute(string targetUri, PeerAddress destination, int statusCode, string reason)
    {
        TargetUri = targetUri;
        Destination = destination;
        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>The Request-URI of the callee leg's INVITE ("" for a rejection).</summary>
    public string TargetUri { get; }

    /// <summary>Where the callee leg's INVITE is sent (the callee or its outbound proxy).</summary>
    public PeerAddress Destination { get; }

    /// <summary>0 to call the target; otherwise the final status the caller gets.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase of a rejection.</summary>
    public string Reason { get; }

    /// <summary>True when the call goes on to <see cref="TargetUri"/>.</summary>
    public bool IsForward => StatusCode == 0;

    /// <summary>Calls <paramref name="targetUri"/> at <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The URI is empty or holds CR/LF, or the destination is empty.</exception>
    public static B2buaRoute Forward(string targetUri, PeerAddress destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetUri);
        if (targetUri.AsSpan().IndexOfAny('\r', '\n') >= 0) throw new ArgumentException("The target URI holds CR or LF.", nameof(targetUri));
        if (destination.IsEmpty) throw new ArgumentException("The destination is empty.", nameof(destination));
        return new B2buaRoute(targetUri, destination, 0, "");
    }

    /// <summary>Answers the caller with <paramref name="statusCode"/> (300-699) and <paramref name="reason"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The status is not a final non-2xx status.</exception>
    public static B2buaRoute Reject(int statusCode, string reason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 300);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (reason.AsSpan().IndexOfAny('\r', '\n') >= 0) throw new ArgumentException("The reason holds CR or LF.", nameof(reason));
        return new B2buaRoute("", default, statusCode, reason);
    }
}
