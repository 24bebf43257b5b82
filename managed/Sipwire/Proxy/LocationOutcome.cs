// What a location-service lookup found for an address-of-record (RFC 3261 §16.5, §8.3).
// SPDX-License-Identifier: MIT

namespace Sipwire.Proxy;

/// <summary>The result kinds of <see cref="LocationQuery.Find"/>.</summary>
public enum LocationOutcome
{
    /// <summary>At least one live binding.</summary>
    Found = 0,

    /// <summary>Nothing is stored for the address-of-record (404).</summary>
    NotFound = 1,

    /// <summary>Bindings are still stored but all have expired (480: the user exists but is not reachable now).</summary>
    AllExpired = 2,

    /// <summary>A shared store could not be reached (503).</summary>
    Unreachable = 3,
}
