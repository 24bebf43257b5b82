// One entry of the provisioning server's profile table (RFC 6080 §4.1): which devices get which profile URL.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Presence;

/// <summary>
/// A profile offered to subscribers of Event: ua-profile whose profile-type, resource and (when set)
/// vendor/model match. Null matchers match anything; the entry with most matchers set wins.
/// </summary>
public sealed record UaProfile
{
    /// <summary>profile-type: "device", "user" or "local-network" (RFC 6080 §4.1).</summary>
    public required string ProfileType { get; init; }

    /// <summary>The profile URL delivered by content indirection (RFC 4483); http, https, ftp ...</summary>
    public required string Url { get; init; }

    /// <summary>The subscribed resource (SIP URI: sip:MAC@domain for a device, the AoR for a user), or null for any.</summary>
    public string? Resource { get; init; }

    /// <summary>The vendor parameter to match, or null for any.</summary>
    public string? Vendor { get; init; }

    /// <summary>The model parameter to match, or null for any.</summary>
    public string? Model { get; init; }

    /// <summary>The media type of the profile behind the URL (the external body's Content-Type).</summary>
    public string ContentType { get; init; } = "application/octet-stream";

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is invalid.</exception>
    public void Validate()
    {
        if (ProfileType is not ("device" or "user" or "local-network")) throw new ArgumentException($"profile-type '{ProfileType}' is not device, user or local-network.", nameof(ProfileType));
        // RFC 4483 §4.2: the URL travels in a quoted MIME parameter: it must be absolute and hold no quote or CR/LF.
        if (!Uri.TryCreate(Url, UriKind.Absolute, out _) || Url.AsSpan().IndexOfAny("\"\r\n\\ ") >= 0) throw new ArgumentException($"'{Url}' is not an absolute URL.", nameof(Url));
        if (Resource is not null && PresenceAgent.Canonical(Resource) is null) throw new ArgumentException($"'{Resource}' is not a SIP URI.", nameof(Resource));
        if (string.IsNullOrWhiteSpace(ContentType) || !ContentType.Contains('/', StringComparison.Ordinal) || ContentType.AsSpan().IndexOfAny("\r\n") >= 0)
            throw new ArgumentException($"'{ContentType}' is not a media type.", nameof(ContentType));
    }

    /// <summary>How many matchers are set (higher wins), or -1 when it does not match.</summary>
    internal int Score(string profileType, string resource, string? vendor, string? model)
    {
        if (ProfileType != profileType) return -1;
        int score = 0;
        if (Resource is not null)
        {
            if (PresenceAgent.Canonical(Resource) != resource) return -1;
            score += 4;
        }
        // RFC 6080 §4.1: vendor/model are quoted strings compared as given.
        if (Vendor is not null)
        {
            if (Vendor != vendor) return -1;
            score += 2;
        }
        if (Model is not null)
        {
            if (Model != model) return -1;
            score++;
        }
        return score;
    }

    internal bool SameKey(UaProfile other) =>
        ProfileType == other.ProfileType && Vendor == other.Vendor && Model == other.Model
        && (Resource is null ? other.Resource is null : other.Resource is not null && PresenceAgent.Canonical(Resource) == PresenceAgent.Canonical(other.Resource));
}
