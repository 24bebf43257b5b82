// SPDX-License-Identifier: MIT
// Configuration of an Endpoint: table limits and the RFC 3261 timer base values.

using System;

namespace Sipwire;

/// <summary>Limits and protocol timers of one <see cref="Endpoint"/>.</summary>
public sealed record EndpointOptions
{
    /// <summary>Most transactions (client and server) alive at once; further requests get 503.</summary>
    public int MaxTransactions { get; init; } = 256;

    /// <summary>Most dialogs alive at once.</summary>
    public int MaxDialogs { get; init; } = 64;

    /// <summary>RFC 3261 §17.1.1.1 T1, the round-trip estimate (default 500 ms).</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>RFC 3261 §17.1.2.2 T2, the cap on non-INVITE retransmission intervals (default 4 s).</summary>
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>RFC 3261 §17.1.2.2 T4, the time a message may stay in the network (default 5 s).</summary>
    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Most stream (TCP/TLS) connections open at once; further accepts are refused (default 64).</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>A stream connection without traffic for this long is closed (default 5 min).</summary>
    public TimeSpan ConnectionIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Receive buffer cap per stream connection; a message that does not fit closes it (default 64 KiB).</summary>
    public int MaxConnectionBuffer { get; init; } = 65536;

    /// <summary>
    /// RFC 3261 §18.1.1: a request larger than this many bytes goes over TCP instead of UDP when the
    /// path MTU is unknown (default 1300).
    /// </summary>
    public int UdpSizeLimit { get; init; } = 1300;

    /// <summary>Value of the User-Agent and Server header fields; empty to send none.</summary>
    public string UserAgent { get; init; } = "Sipwire";

    /// <summary>Checks every value and says which one is wrong.</summary>
    /// <exception cref="ArgumentException">A limit is not positive, or the timers are out of order.</exception>
    public void Validate()
    {
        if (MaxTransactions <= 0)
        {
            throw new ArgumentException($"MaxTransactions must be positive, not {MaxTransactions}.");
        }
        if (MaxDialogs <= 0)
        {
            throw new ArgumentException($"MaxDialogs must be positive, not {MaxDialogs}.");
        }
        if (T1 <= TimeSpan.Zero)
        {
            throw new ArgumentException($"T1 must be positive, not {T1.TotalMilliseconds} ms.");
        }
        // RFC 3261 §17.1.2.2: T2 caps the doubling that starts at T1, so T2 >= T1.
        if (T2 < T1)
        {
            throw new ArgumentException($"T2 ({T2.TotalMilliseconds} ms) must not be below T1 ({T1.TotalMilliseconds} ms).");
        }
        if (T4 <= TimeSpan.Zero)
        {
            throw new ArgumentException($"T4 must be positive, not {T4.TotalMilliseconds} ms.");
        }
        if (MaxConnections <= 0)
        {
            throw new ArgumentException($"MaxConnections must be positive, not {MaxConnections}.");
        }
        if (ConnectionIdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ConnectionIdleTimeout must be positive, not {ConnectionIdleTimeout.TotalSeconds} s.");
        }
        // A SIP message needs its start line and the mandatory header fields: 1 KiB is a sane floor.
        if (MaxConnectionBuffer < 1024)
        {
            throw new ArgumentException($"MaxConnectionBuffer must be at least 1024 bytes, not {MaxConnectionBuffer}.");
        }
        if (UdpSizeLimit < 512 || UdpSizeLimit > 65507)
        {
            throw new ArgumentException($"UdpSizeLimit must be within 512..65507 bytes, not {UdpSizeLimit}.");
        }
        foreach (char c in UserAgent)
        {
            // RFC 3261 §25.1: header values are UTF-8 text without CR, LF or other controls.
            if (char.IsControl(c))
            {
                throw new ArgumentException("UserAgent must not contain control characters.");
            }
        }
    }
}
