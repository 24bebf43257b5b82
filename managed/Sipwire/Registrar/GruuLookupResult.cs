// Outcomes of resolving a Request-URI that may be a GRUU (RFC 5627 §6.1).
// SPDX-License-Identifier: MIT

namespace Sipwire.Registrar;

/// <summary>What <see cref="GruuResolver.Find"/> made of a Request-URI.</summary>
public enum GruuLookupResult
{
    /// <summary>No "gr" parameter: an ordinary address-of-record lookup applies.</summary>
    NotGruu,

    /// <summary>A valid GRUU with live contacts of its instance (added to the list); route to those only.</summary>
    Found,

    /// <summary>A valid GRUU whose instance has no live contact: 480 Temporarily Unavailable (§6.1).</summary>
    NoContacts,

    /// <summary>Not a currently valid GRUU of this domain (forged, altered, or its registration changed Call-ID): 404 (§6.1).</summary>
    Invalid,

    /// <summary>The location service could not be reached: 503.</summary>
    Unreachable,
}
