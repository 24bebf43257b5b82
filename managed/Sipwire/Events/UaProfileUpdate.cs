// A profile notice from the provisioning server (RFC 6080 §5.1.2): where to fetch the profile, or the profile itself.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Events;

/// <summary>One profile NOTIFY with a body, as data.</summary>
/// <param name="Url">The profile URL of a message/external-body with access-type URL (RFC 4483 §5), or null for an inline profile.</param>
/// <param name="ContentType">The profile's media type: the inner Content-Type of the external body, or the NOTIFY's Content-Type.</param>
/// <param name="Content">The inline profile, empty for a URL.</param>
/// <param name="Expiration">The expiration parameter of the external body, or null.</param>
/// <param name="Size">The size parameter of the external body, or -1.</param>
/// <param name="Problem">Why the body could not be used (unsupported access-type, no URL ...), or null.</param>
public sealed record UaProfileUpdate(string? Url, string ContentType, ReadOnlyMemory<byte> Content, string? Expiration, long Size, string? Problem);
