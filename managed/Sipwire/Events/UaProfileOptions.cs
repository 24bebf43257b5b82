// What a device asks its provisioning server for (RFC 6080 §4.1): the profile type and the device's identity.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Events;

/// <summary>Options of a <see cref="UaProfileClient"/>.</summary>
public sealed record UaProfileOptions
{
    /// <summary>The profile's URI (RFC 6080 §5.1: for a device profile e.g. "sip:MAC@provider.example").</summary>
    public required string TargetUri { get; init; }

    /// <summary>Where the SUBSCRIBE goes (the provisioning server or the outbound proxy).</summary>
    public required PeerAddress Destination { get; init; }

    /// <summary>profile-type: "device", "user" or "local-network" (RFC 6080 §4.1).</summary>
    public string ProfileType { get; init; } = "device";

    /// <summary>The vendor parameter, or null.</summary>
    public string? Vendor { get; init; }

    /// <summary>The model parameter, or null.</summary>
    public string? Model { get; init; }

    /// <summary>The version parameter (firmware version), or null.</summary>
    public string? Version { get; init; }

    /// <summary>Subscription duration in seconds.</summary>
    public int Expires { get; init; } = 86400;

    /// <summary>Profile media types accepted inline besides message/external-body (RFC 6080 §5.1.1).</summary>
    public IReadOnlyList<string> InlineTypes { get; init; } = ["application/xml", "text/plain"];

    /// <summary>Digest credentials for 401/407.</summary>
    public IReadOnlyList<SipCredentials> Credentials { get; init; } = [];

    /// <summary>The Event header field value: "ua-profile;profile-type=device;vendor=...;model=...;version=...".</summary>
    public string EventValue()
    {
        var p = new List<KeyValuePair<string, string?>> { new("profile-type", ProfileType) };
        if (Vendor is not null) p.Add(new("vendor", Vendor));
        if (Model is not null) p.Add(new("model", Model));
        if (Version is not null) p.Add(new("version", Version));
        return new EventHeaderValue { Package = "ua-profile", Parameters = p }.ToString();
    }

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is invalid.</exception>
    public void Validate()
    {
        if (ProfileType is not ("device" or "user" or "local-network")) throw new ArgumentException($"profile-type '{ProfileType}' is not device, user or local-network.", nameof(ProfileType));
        foreach (string? v in (string?[])[Vendor, Model, Version])
        {
            if (v is not null && (v.Length == 0 || v.AsSpan().IndexOfAny("\r\n\"\\") >= 0)) throw new ArgumentException($"'{v}' cannot be an Event parameter value.");
        }
    }
}
