// URI schemes the SIP layer distinguishes.
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip;

/// <summary>The scheme of a <see cref="SipUri"/>.</summary>
public enum SipUriScheme
{
    /// <summary>Any other absoluteURI scheme (http:, isbn:, ...), kept opaque.</summary>
    Other = 0,
    /// <summary>sip: (RFC 3261 §19.1).</summary>
    Sip = 1,
    /// <summary>sips: (RFC 3261 §19.1).</summary>
    Sips = 2,
    /// <summary>tel: (RFC 3966).</summary>
    Tel = 3,
}
