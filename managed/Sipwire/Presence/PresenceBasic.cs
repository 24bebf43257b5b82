// The <basic> status of a PIDF tuple (RFC 3863 §4.1.4).
// SPDX-License-Identifier: MIT

namespace Sipwire.Presence;

/// <summary>open: the contact can accept communication; closed: it cannot.</summary>
public enum PresenceBasic
{
    /// <summary>"open".</summary>
    Open = 1,

    /// <summary>"closed".</summary>
    Closed = 2,
}
