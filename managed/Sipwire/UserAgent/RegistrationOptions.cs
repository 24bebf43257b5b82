// What a client registration registers, where, with which credentials and timers.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Sip;
using Sipwire.Transport;

namespace Sipwire.UserAgent;

/// <summary>Configuration of one <see cref="Registration"/> (RFC 3261 §10.2).</summary>
public sealed record RegistrationOptions
{
    /// <summary>The address-of-record, To and From of the REGISTER (§10.2): "sip:alice@example.test".</summary>
    public required string AddressOfRecord { get; init; }

    /// <summary>The Request-URI: the registrar's domain (§10.2). Null: "sip:" plus the host of the address-of-record.</summary>
    public string? RegistrarUri { get; init; }

    /// <summary>The contact to bind: "sip:alice@192.0.2.1:5060".</summary>
    public required string ContactUri { get; init; }

    /// <summary>Where the REGISTER goes (the registrar or the outbound proxy, already resolved).</summary>
    public required PeerAddress Destination { get; init; }

    /// <summary>host:port written as our Via sent-by (§18.1.1).</summary>
    public required string LocalSentBy { get; init; }

    /// <summary>Requested registration interval in seconds (§10.2.1.1); the registrar may shorten it.</summary>
    public int Expires { get; init; } = 3600;

    /// <summary>Credentials per realm (§22.1).</summary>
    public IReadOnlyList<SipCredentials> Credentials { get; init; } = [];

    /// <summary>RFC 5626 §4.1 instance ID, e.g. "&lt;urn:uuid:...&gt;", sent as +sip.instance; null for none.</summary>
    public string? InstanceId { get; init; }

    /// <summary>RFC 5626 §4.2 reg-id (1 or more) sent with <see cref="InstanceId"/>; 0 for none.</summary>
    public int RegId { get; init; }

    /// <summary>RFC 5626 §4.5 base-time of the retry back-off (default 30 s).</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>RFC 5626 §4.5 max-time of the retry back-off (default 1800 s).</summary>
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(1800);

    /// <summary>The Request-URI actually used.</summary>
    public string EffectiveRegistrarUri
    {
        get
        {
            if (RegistrarUri is not null) return RegistrarUri;
            return SipUri.TryParse(AddressOfRecord, out SipUri? aor) ? aor!.SchemeText + ":" + aor.Host : AddressOfRecord;
        }
    }

    /// <summary>Checks every value and says which one is wrong.</summary>
    /// <exception cref="ArgumentException">A value is missing, malformed or out of range.</exception>
    public void Validate()
    {
        if (!SipUri.TryParse(AddressOfRecord, out SipUri? aor) || aor!.Scheme is not (SipUriScheme.Sip or SipUriScheme.Sips))
            throw new ArgumentException($"AddressOfRecord '{AddressOfRecord}' is not a sip: or sips: URI (RFC 3261 §10.2).");
        if (!SipUri.TryParse(EffectiveRegistrarUri, out _))
            throw new ArgumentException($"RegistrarUri '{EffectiveRegistrarUri}' is not a SIP URI.");
        if (!SipUri.TryParse(ContactUri, out _))
            throw new ArgumentException($"ContactUri '{ContactUri}' is not a SIP URI.");
        if (Destination.IsEmpty) throw new ArgumentException("Destination must be set.");
        ArgumentException.ThrowIfNullOrWhiteSpace(LocalSentBy, nameof(LocalSentBy));
        // Values go into header fields verbatim: no control characters (header injection).
        foreach (string s in (string[])[AddressOfRecord, EffectiveRegistrarUri, ContactUri, LocalSentBy, InstanceId ?? ""])
        {
            foreach (char c in s)
            {
                if (char.IsControl(c)) throw new ArgumentException("Registration values must not contain control characters.");
            }
        }
        if (Expires < 1) throw new ArgumentException($"Expires must be at least 1 second, not {Expires}.");
        if (RegId < 0 || (RegId > 0 && InstanceId is null)) throw new ArgumentException("RegId must be positive and needs an InstanceId (RFC 5626 §4.2).");
        if (RetryBase <= TimeSpan.Zero || RetryMax < RetryBase) throw new ArgumentException("RetryBase must be positive and RetryMax at least RetryBase.");
        ArgumentNullException.ThrowIfNull(Credentials);
    }
}
