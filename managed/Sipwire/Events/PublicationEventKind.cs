// Outcomes of an event state publication (RFC 3903).
// SPDX-License-Identifier: MIT

namespace Sipwire.Events;

/// <summary>Kinds of <see cref="PublicationEvent"/>.</summary>
public enum PublicationEventKind
{
    /// <summary>A 2xx to an initial, modifying or refreshing PUBLISH: the state is published; ETag and Expires in the event.</summary>
    Published = 1,

    /// <summary>The 2xx to the removal (Expires: 0, RFC 3903 §4.5).</summary>
    Removed = 2,

    /// <summary>A final failure (status and reason in the event); the state is not published.</summary>
    Failed = 3,
}
