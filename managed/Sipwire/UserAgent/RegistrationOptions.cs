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

    /// <summary>
    /// The one contact to bind: "sip:alice@192.0.2.1:5060", with <see cref="InstanceId"/> and <see cref="RegId"/>.
    /// Shorthand for a one-entry <see cref="Contacts"/>; set one of the two.
    /// </summary>
    public string? ContactUri { get; init; }

    /// <summary>
    /// The contacts to bind, all in one REGISTER (RFC 3261 §10.2.1), each with its own q-value and RFC 5626
    /// instance/reg-id. Empty: the one <see cref="ContactUri"/>.
    /// </summary>
    public IReadOnlyList<RegistrationContact> Contacts { get; init; } = [];

    /// <summary>Where the REGISTER goes (the registrar or the outbound proxy, already resolved).</summary>
    public required PeerAddress Destination { get; init; }

    /// <summary>
    /// Outbound proxy URI ("sip:proxy.example.test;lr"): every REGISTER (refreshes, retries and the
    /// unregister too) carries a preloaded Route to it (RFC 3261 §8.1.2). Null: no Route, unless the
    /// registration is created by <see cref="UserAgentCore.AddRegistration"/> of a core with
    /// <see cref="UserAgentOptions.OutboundProxy"/>, which fills it in.
    /// </summary>
    public string? OutboundProxy { get; init; }

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

    /// <summary>The contacts actually registered: <see cref="Contacts"/>, or the one <see cref="ContactUri"/>.</summary>
    public IReadOnlyList<RegistrationContact> EffectiveContacts =>
        Contacts is { Count: > 0 } ? Contacts : [new RegistrationContact(ContactUri ?? "") { InstanceId = InstanceId, RegId = RegId }];

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
        ArgumentNullException.ThrowIfNull(Contacts);
        if (Contacts.Count > 0 && (ContactUri is not null || InstanceId is not null || RegId != 0))
            throw new ArgumentException("Set either Contacts or ContactUri (with InstanceId/RegId), not both.");
        if (Contacts.Count == 0 && ContactUri is null) throw new ArgumentException("A contact is required: set ContactUri or Contacts (RFC 3261 §10.2.1).");
        if (ContactUri is not null && !SipUri.TryParse(ContactUri, out _))
            throw new ArgumentException($"ContactUri '{ContactUri}' is not a SIP URI.");
        ValidateContacts(EffectiveContacts);
        if (Destination.IsEmpty) throw new ArgumentException("Destination must be set.");
        if (OutboundProxy is not null && !OutboundRoute.IsValid(OutboundProxy)) throw new ArgumentException($"OutboundProxy '{OutboundProxy}' is not a SIP URI.");
        ArgumentException.ThrowIfNullOrWhiteSpace(LocalSentBy, nameof(LocalSentBy));
        // Values go into header fields verbatim: no control characters (header injection).
        foreach (string s in (string[])[AddressOfRecord, EffectiveRegistrarUri, ContactUri ?? "", LocalSentBy, InstanceId ?? ""])
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

    private static void ValidateContacts(IReadOnlyList<RegistrationContact> contacts)
    {
        var uris = new SipUri[contacts.Count];
        for (int i = 0; i < contacts.Count; i++)
        {
            RegistrationContact c = contacts[i] ?? throw new ArgumentException($"Contacts[{i}] is null.");
            c.Validate();
            uris[i] = SipUri.TryParse(c.Uri, out SipUri? uri) ? uri! : throw new ArgumentException($"Contact '{c.Uri}' is not a SIP URI.");
            for (int j = 0; j < i; j++)
            {
                // §10.3 step 7 merges equal URIs (§19.1.4) into one binding: the second would be lost.
                if (uris[i].Equals(uris[j])) throw new ArgumentException($"Contacts '{contacts[j].Uri}' and '{c.Uri}' are the same URI (RFC 3261 §19.1.4).");
                // RFC 5626 §4.2: each flow of one instance has its own reg-id.
                if (c.RegId > 0 && c.RegId == contacts[j].RegId && string.Equals(c.InstanceId, contacts[j].InstanceId, StringComparison.Ordinal))
                    throw new ArgumentException($"Contacts '{contacts[j].Uri}' and '{c.Uri}' share instance and reg-id {c.RegId} (RFC 5626 §4.2).");
            }
        }
    }
}
