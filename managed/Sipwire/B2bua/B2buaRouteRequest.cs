// What the routing hook sees of an incoming INVITE.
// SPDX-License-Identifier: MIT

using Sipwire.Transport;

namespace Sipwire.B2bua;

/// <summary>The parts of the caller's INVITE a routing decision needs (copied; valid after the call).</summary>
/// <param name="RequestUri">The Request-URI.</param>
/// <param name="FromUri">The caller's From URI.</param>
/// <param name="ToUri">The To URI.</param>
/// <param name="Source">Where the INVITE came from.</param>
public sealed record B2buaRouteRequest(string RequestUri, string FromUri, string ToUri, PeerAddress Source);
