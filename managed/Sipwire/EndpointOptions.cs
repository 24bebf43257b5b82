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
