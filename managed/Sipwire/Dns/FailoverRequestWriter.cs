// Writes the request of one failover attempt for a given target and Via branch.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Transport;

namespace Sipwire.Dns;

/// <summary>
/// Writes the request <see cref="TargetFailover"/> sends to <paramref name="target"/>: the same request
/// for every target (RFC 3263 §4.3: same Call-ID, From tag, CSeq, body), with <paramref name="branch"/>
/// as the top Via branch and the Via transport of the target's protocol (§18.1.1).
/// </summary>
/// <returns>The bytes written, or -1 when <paramref name="destination"/> is too small (a larger buffer is offered).</returns>
public delegate int FailoverRequestWriter(in PeerAddress target, ReadOnlySpan<byte> branch, Span<byte> destination);
