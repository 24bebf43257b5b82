// The routing decision for one incoming INVITE: a target to call, or a rejection status.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Transport;

namespace Sipwire.B2bua;

/// <summary>
/// What the routing hook of <see cref="B2buaOptions.Route"/> decided: call <see cref="TargetUri"/> at
/// <see cref="Destination"/>, or answer the caller with <see cref="StatusCode"/> (300-699).
/// </summary>
public readonly record struct B2buaRoute
{
    private B2buaRoute(string targetUri, PeerAddress destination, int statusCode, string reason, IReadOnlyList<string>? routes = null, bool keepsFlow = false)
    {
        TargetUri = targetUri;
        Destination = destination;
        StatusCode = statusCode;
        Reason = reason;
        _routes = routes;
        KeepsFlow = keepsFlow;
    }

    /// <summary>The Request-URI of the callee leg's INVITE ("" for a rejection).</summary>
    public string TargetUri { get; }

    /// <summary>Where the callee leg's INVITE is sent (the callee or its outbound proxy).</summary>
    public PeerAddress Destination { get; }

    /// <summary>Route values the callee leg's INVITE carries, first hop first (e.g. the binding's Path, RFC 3327 §5.3); empty for none.</summary>
    public IReadOnlyList<string> Routes => _routes ?? []; // default(B2buaRoute) has none

    private readonly IReadOnlyList<string>? _routes;

    /// <summary>
    /// True when <see cref="Destination"/> is the callee's flow (the address its registration came from, behind
    /// NAT) rather than its Contact's address: the callee leg's in-dialog requests go there as well (RFC 5626 §5.3).
    /// </summary>
    public bool KeepsFlow { get; }

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

    /// <summary>
    /// Calls <paramref name="targetUri"/> through <paramref name="routes"/> (loose routers, first hop first) at
    /// <paramref name="destination"/>, which is the first route's address or, with <paramref name="keepsFlow"/>,
    /// the callee's own flow that its in-dialog requests keep using.
    /// </summary>
    /// <exception cref="ArgumentException">The URI or a route is empty or holds CR/LF, or the destination is empty.</exception>
    public static B2buaRoute Forward(string targetUri, PeerAddress destination, IReadOnlyList<string> routes, bool keepsFlow)
    {
        ArgumentNullException.ThrowIfNull(routes);
        foreach (string r in routes)
        {
            ArgumentException.ThrowIfNullOrEmpty(r, nameof(routes));
            if (r.AsSpan().IndexOfAny('\r', '\n') >= 0) throw new ArgumentException("A route holds CR or LF.", nameof(routes));
        }
        B2buaRoute plain = Forward(targetUri, destination);
        return new B2buaRoute(plain.TargetUri, plain.Destination, 0, "", [.. routes], keepsFlow);
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
