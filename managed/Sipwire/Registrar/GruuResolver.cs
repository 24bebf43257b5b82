// Request targeting for GRUUs (RFC 5627 §6.1): a pub-gruu or temp-gruu reaches its own instance's contacts only.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Location;
using Sipwire.Sip;

namespace Sipwire.Registrar;

/// <summary>
/// Resolves a Request-URI carrying the "gr" parameter (RFC 5627 §3.1) for a proxy, redirect server or B2BUA of the
/// domain. A pub-gruu (<c>sip:aor;gr=urn:uuid:...</c>) names the address-of-record and the instance in clear; a
/// temp-gruu (<c>sip:tgruu.TOKEN@domain;gr</c>) is opened with the registrar's <see cref="TemporaryGruu"/>.
/// Either way the target set is the live bindings of that address-of-record whose +sip.instance is the GRUU's
/// instance - never another device's (§6.1: "the proxy MUST ... only the contacts ... with that instance ID").
/// Thread-safe when the location service is.
/// </summary>
public sealed class GruuResolver
{
    private readonly List<LocationBinding> _stale = [];

    /// <summary>Creates a resolver that opens temp-gruus with <paramref name="temporary"/> (the registrar's).</summary>
    public GruuResolver(TemporaryGruu temporary)
    {
        ArgumentNullException.ThrowIfNull(temporary);
        Temporary = temporary;
    }

    /// <summary>The temp-gruu minter whose tokens this resolver accepts.</summary>
    public TemporaryGruu Temporary { get; }

    /// <summary>
    /// RFC 5627 §6.1 request targeting. With a "gr" parameter in <paramref name="target"/>, adds the live bindings of the
    /// GRUU's instance to <paramref name="into"/> (highest q first) and says whether to route to them, answer 480
    /// (the instance has no contact now) or 404 (not a currently valid GRUU); without one, returns NotGruu and adds nothing.
    /// </summary>
    /// <param name="location">The location service the registrar writes.</param>
    /// <param name="target">The Request-URI after RFC 3261 §16.4 route processing.</param>
    /// <param name="nowMs">The location service's clock.</param>
    /// <param name="into">Receives the instance's bindings.</param>
    /// <param name="addressOfRecord">The GRUU's canonical address-of-record, when it has one.</param>
    public GruuLookupResult Find(ILocationService location, SipUri target, long nowMs, List<LocationBinding> into, out string? addressOfRecord)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(into);
        addressOfRecord = null;
        if (!target.HasParameter("gr")) return GruuLookupResult.NotGruu;
        string? gr = target.GetParameter("gr");
        string instance;
        ulong? callIdDigest = null;
        if (gr is null)
        {
            // §3.1.2: a temp-gruu is "gr" without a value; its user part is our token.
            string user = SipUri.Unescape(target.User) ?? "";
            if (!Temporary.TryOpen(user, out string aor, out instance, out ulong digest)) return GruuLookupResult.Invalid;
            // The token names its own domain; it is not valid under another host name.
            if (!SipUri.TryParse(aor, out SipUri? aorUri) || !string.Equals(aorUri!.Host, target.Host, StringComparison.OrdinalIgnoreCase))
            {
                return GruuLookupResult.Invalid;
            }
            addressOfRecord = aor;
            callIdDigest = digest;
        }
        else
        {
            // §3.1.1: a pub-gruu is the AoR with gr = the instance ID without its angle brackets.
            if (gr.Length == 0) return GruuLookupResult.Invalid;
            addressOfRecord = SipRegistrar.Canonical(target);
            instance = "<" + SipUri.Unescape(gr) + ">";
        }

        int start = into.Count;
        int n = location.Lookup(addressOfRecord, nowMs, into);
        if (n < 0) return GruuLookupResult.Unreachable;
        bool instanceSeen = false;
        for (int i = into.Count - 1; i >= start; i--)
        {
            LocationBinding b = into[i];
            bool keep = SameInstance(b.InstanceId, instance);
            instanceSeen |= keep;
            // §3.2: temp-gruus stay valid only while the instance is registered with the Call-ID they were issued under.
            if (keep && callIdDigest is ulong d && Temporary.CallIdDigest(b.CallId) != d) keep = false;
            if (!keep) into.RemoveAt(i);
        }
        if (into.Count > start) return GruuLookupResult.Found;
        if (callIdDigest is not null)
        {
            // A temp-gruu whose instance is registered under another Call-ID was invalidated by that registration (404);
            // with no live contact of the instance at all it may be valid again never, or after a re-registration: 480.
            return instanceSeen ? GruuLookupResult.Invalid : GruuLookupResult.NoContacts;
        }
        // A pub-gruu stays bound to its address-of-record (§3.1.1), so a known address whose instance has no live
        // contact is temporarily unavailable (480); an address with no binding at all, live or expired-but-kept, is not
        // one this registrar ever issued a GRUU for (404).
        lock (_stale)
        {
            _stale.Clear();
            int old = location.Lookup(addressOfRecord, 0, _stale);
            if (old < 0) return GruuLookupResult.Unreachable;
            foreach (LocationBinding b in _stale)
            {
                if (SameInstance(b.InstanceId, instance)) return GruuLookupResult.NoContacts;
            }
            return n > 0 ? GruuLookupResult.NoContacts : GruuLookupResult.Invalid;
        }
    }

    /// <summary>
    /// Instance IDs compare as URNs: "urn:uuid:" values case-insensitively (RFC 4122 §3: hex digits are
    /// case-insensitive on input), anything else byte for byte.
    /// </summary>
    private static bool SameInstance(ReadOnlySpan<byte> stored, string instance)
    {
        if (stored.IsEmpty) return false;
        Span<byte> want = stackalloc byte[256];
        int n = Encoding.UTF8.GetByteCount(instance);
        if (n > want.Length) return false;
        want = want[..Encoding.UTF8.GetBytes(instance, want)];
        if (stored.Length == want.Length && stored.Length > 10 && Ascii.EqualsIgnoreCase(stored[..10], "<urn:uuid:"u8))
        {
            return Ascii.EqualsIgnoreCase(stored, want);
        }
        return stored.SequenceEqual(want);
    }
}
