// Configurable limits of the SIP parser with safe defaults.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Sip;

/// <summary>Limits the parser enforces; exceeding one yields a 513-class <see cref="SipParseError"/>.</summary>
public sealed class SipParserOptions
{
    /// <summary>The defaults: 64 KiB messages, 8 KiB header fields, 128 header fields.</summary>
    public static SipParserOptions Default { get; } = new();

    /// <summary>Largest whole message (headers and body) in bytes; 65535 matches the largest UDP datagram.</summary>
    public int MaxMessageSize { get; init; } = 65535;

    /// <summary>Longest start line or header field (including its folded continuation lines) in bytes.</summary>
    public int MaxLineLength { get; init; } = 8192;

    /// <summary>Most header fields (lines, not comma-separated values) in one message.</summary>
    public int MaxHeaderCount { get; init; } = 128;

    /// <summary>Throws when a limit is out of range; called by the code that accepts options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageSize, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLineLength, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeaderCount, 5);
    }
}
