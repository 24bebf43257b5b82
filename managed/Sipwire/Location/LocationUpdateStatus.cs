// What applying one REGISTER's binding changes to a location service gave.
// SPDX-License-Identifier: MIT

namespace Sipwire.Location;

/// <summary>The outcome of <see cref="ILocationService.Update"/>. Anything but <see cref="Ok"/> changed nothing.</summary>
public enum LocationUpdateStatus
{
    /// <summary>Every change was applied.</summary>
    Ok = 0,

    /// <summary>
    /// RFC 3261 §10.3 steps 6 and 7: a binding with the request's Call-ID already has an equal or
    /// higher CSeq, so the request is out of order and the whole update is aborted.
    /// </summary>
    OutOfOrder,

    /// <summary>The address-of-record would exceed <see cref="LocationLimits.MaxBindingsPerAddressOfRecord"/>.</summary>
    TooManyBindings,

    /// <summary>A new address-of-record would exceed <see cref="LocationLimits.MaxAddressesOfRecord"/>.</summary>
    TableFull,

    /// <summary>The shared store could not be reached or kept changing under us; nothing was applied.</summary>
    StoreUnavailable,
}
