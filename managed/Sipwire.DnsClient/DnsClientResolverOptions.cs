// Settings of the DnsClient-backed resolver: servers, timeout, retries, cache and address order.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Net;

namespace Sipwire.DnsClient;

/// <summary>Settings of a <see cref="DnsClientResolver"/>.</summary>
public sealed class DnsClientResolverOptions
{
    /// <summary>Recursive name servers to ask, in order; empty means the system's (/etc/resolv.conf).</summary>
    public IList<IPEndPoint> NameServers { get; } = new List<IPEndPoint>();

    /// <summary>Time to wait for one answer before retrying (default 2 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries per name server after a timeout (default 1).</summary>
    public int Retries { get; set; } = 1;

    /// <summary>Keeps answers for their TTL (default true); negative answers are not cached.</summary>
    public bool UseCache { get; set; } = true;

    /// <summary>Order of IPv4 and IPv6 addresses (default <see cref="AddressPreference.IPv4First"/>).</summary>
    public AddressPreference AddressPreference { get; set; } = AddressPreference.IPv4First;

    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    internal void Validate()
    {
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(1)) throw new ArgumentException($"Timeout must be in (0, 60 s], not {Timeout}.", nameof(Timeout));
        if (Retries is < 0 or > 10) throw new ArgumentException($"Retries must be in 0..10, not {Retries}.", nameof(Retries));
        if (!Enum.IsDefined(AddressPreference)) throw new ArgumentException($"Unknown address preference {(int)AddressPreference}.", nameof(AddressPreference));
        foreach (IPEndPoint s in NameServers)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(NameServers));
        }
    }
}
