// Location-service lookups for the proxy and the redirect server: live bindings, or why there are none.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;
using Sipwire.Location;

namespace Sipwire.Proxy;

/// <summary>Looks up an address-of-record and tells "never registered" from "registered, all expired".</summary>
public static class LocationQuery
{
    /// <summary>
    /// Adds the live bindings of <paramref name="addressOfRecord"/> to <paramref name="into"/> (highest q first).
    /// With none live, asks the store once more as of time 0: bindings it still keeps (expired ones stay until the
    /// store purges them) mean the user registered and let them expire, which RFC 3261 §16.5 answers with 480
    /// rather than 404.
    /// </summary>
    public static LocationOutcome Find(ILocationService location, string addressOfRecord, long nowMs, List<LocationBinding> into)
    {
        System.ArgumentNullException.ThrowIfNull(location);
        System.ArgumentNullException.ThrowIfNull(into);
        int n = location.Lookup(addressOfRecord, nowMs, into);
        if (n < 0) return LocationOutcome.Unreachable;
        if (n > 0) return LocationOutcome.Found;
        var stale = new List<LocationBinding>();
        int old = location.Lookup(addressOfRecord, 0, stale);
        if (old < 0) return LocationOutcome.Unreachable;
        return old > 0 ? LocationOutcome.AllExpired : LocationOutcome.NotFound;
    }
}
