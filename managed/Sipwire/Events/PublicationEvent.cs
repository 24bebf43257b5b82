// One outcome of an event state publication, as data.
// SPDX-License-Identifier: MIT

namespace Sipwire.Events;

/// <summary>An event of a <see cref="Publication"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="StatusCode">The final status (408 for a timeout, 503 for a transport error).</param>
/// <param name="Reason">The reason phrase, with detail for local failures.</param>
/// <param name="ETag">The entity-tag the ESC gave (SIP-ETag, RFC 3903 §11.3.1), or "".</param>
/// <param name="ExpiresSeconds">The duration granted, 0 when not published.</param>
public sealed record PublicationEvent(PublicationEventKind Kind, int StatusCode, string Reason, string ETag, int ExpiresSeconds);
