// What a UA core accepts in MESSAGE requests (RFC 3428) and how large the ones it sends may be.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;

namespace Sipwire.UserAgent;

/// <summary>Limits and accepted media types of page-mode instant messages.</summary>
public sealed record MessagingOptions
{
    /// <summary>
    /// Media types accepted in received MESSAGE bodies (type/subtype, compared case-insensitively,
    /// parameters ignored); others get 415 with an Accept header field (RFC 3261 §21.4.13).
    /// </summary>
    public IReadOnlyList<string> AcceptedContentTypes { get; init; } = ["text/plain"];

    /// <summary>Largest body accepted; a larger one gets 413 (RFC 3428 §7, RFC 3261 §21.4.11).</summary>
    public int MaxReceivedBodyBytes { get; init; } = 4096;

    /// <summary>
    /// Largest whole MESSAGE sent over UDP: RFC 3428 §7 limits a MESSAGE outside a media session
    /// to 1300 bytes unless the path MTU is known to be larger; a larger one fails locally with 513.
    /// </summary>
    public int MaxDatagramBytes { get; init; } = 1300;

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(AcceptedContentTypes);
        foreach (string t in AcceptedContentTypes)
        {
            if (string.IsNullOrWhiteSpace(t) || !t.Contains('/', StringComparison.Ordinal) || t.AsSpan().IndexOfAny("\r\n;,") >= 0)
                throw new ArgumentException($"'{t}' is not a type/subtype media type.", nameof(AcceptedContentTypes));
        }
        if (MaxReceivedBodyBytes < 0) throw new ArgumentException("MaxReceivedBodyBytes must not be negative.", nameof(MaxReceivedBodyBytes));
        if (MaxDatagramBytes < 200) throw new ArgumentException("MaxDatagramBytes must be at least 200.", nameof(MaxDatagramBytes));
    }
}
