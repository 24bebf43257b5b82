// The bounds of a location service: how many addresses-of-record and contacts per address it holds.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Location;

/// <summary>Bounds on a location service's table (DESIGN.md principle 3: every table has a configured limit).</summary>
public sealed class LocationLimits
{
    /// <summary>Defaults: 100,000 addresses-of-record, 10 contacts each.</summary>
    public static LocationLimits Default { get; } = new();

    /// <summary>Most addresses-of-record with at least one live binding.</summary>
    public int MaxAddressesOfRecord { get; init; } = 100_000;

    /// <summary>Most live bindings per address-of-record.</summary>
    public int MaxBindingsPerAddressOfRecord { get; init; } = 10;

    /// <summary>Throws when a limit is not positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAddressesOfRecord, 1, nameof(MaxAddressesOfRecord));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBindingsPerAddressOfRecord, 1, nameof(MaxBindingsPerAddressOfRecord));
        // The merge tracks touched bindings on the stack.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBindingsPerAddressOfRecord, 1024, nameof(MaxBindingsPerAddressOfRecord));
    }
}
