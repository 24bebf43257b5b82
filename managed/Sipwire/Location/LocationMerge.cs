// The binding update rules of RFC 3261 §10.3 steps 6-7, shared by every location service implementation.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Sip;

namespace Sipwire.Location;

/// <summary>
/// Computes the bindings of an address-of-record after one REGISTER, from the stored ones. Pure: the
/// stores call it under their own atomicity (a lock in memory, an optimistic transaction in Redis).
/// </summary>
public static class LocationMerge
{
    /// <summary>
    /// Applies <paramref name="changes"/> to <paramref name="existing"/> (see <see cref="ILocationService.Update"/>)
    /// and writes the live result, highest q first, into <paramref name="result"/> (cleared first).
    /// On any status but Ok the content of <paramref name="result"/> is unspecified and must be discarded.
    /// </summary>
    public static LocationUpdateStatus Apply(ReadOnlySpan<LocationBinding> existing, ReadOnlySpan<LocationBinding> changes, bool removeAll,
        ReadOnlySpan<byte> callId, uint cseq, long nowMs, int maxBindings, List<LocationBinding> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        result.Clear();
        int live = 0;
        foreach (LocationBinding b in existing)
        {
            if (b.ExpiresAtMs > nowMs)
            {
                result.Add(b);
                live++;
            }
        }
        if (removeAll)
        {
            // Step 6: "*" removes each binding unless it has the request's Call-ID with a CSeq that is
            // not lower; then "the update MUST be aborted and the request fails".
            foreach (LocationBinding b in result)
            {
                if (b.CallId.SequenceEqual(callId) && cseq <= b.CSeq) return LocationUpdateStatus.OutOfOrder;
            }
            result.Clear();
            return LocationUpdateStatus.Ok;
        }

        int capacity = result.Count + changes.Length;
        Span<bool> touched = capacity <= 256 ? stackalloc bool[capacity] : new bool[capacity];
        touched.Clear();
        SipUri?[] parsed = new SipUri?[capacity];
        foreach (LocationBinding change in changes)
        {
            // Parsed only when a stored contact differs byte-wise (a first registration parses nothing);
            // an unparsable contact (never produced by the registrar) matches only byte-equal ones.
            SipUri? changeUri = null;
            bool changeParsed = false;
            int found = -1;
            for (int i = 0; i < result.Count; i++)
            {
                if (Matches(result[i], change, ref changeUri, ref changeParsed, parsed, i))
                {
                    found = i;
                    break;
                }
            }
            bool remove = change.ExpiresAtMs <= nowMs;
            if (found < 0)
            {
                if (!remove)
                {
                    result.Add(change);
                    touched[result.Count - 1] = true;
                    parsed[result.Count - 1] = changeUri;
                }
                continue;
            }
            // Step 7: same Call-ID needs a higher CSeq; a binding this same request wrote a moment ago
            // (the Contact listed twice) is simply overwritten.
            LocationBinding old = result[found];
            if (!touched[found] && old.CallId.SequenceEqual(callId) && cseq <= old.CSeq) return LocationUpdateStatus.OutOfOrder;
            if (remove)
            {
                result.RemoveAt(found);
                RemoveAt(touched, found, result.Count + 1);
                RemoveAt(parsed, found);
            }
            else
            {
                result[found] = change;
                touched[found] = true;
                parsed[found] = changeUri;
            }
        }
        // A table that already holds more than the limit (the limit was lowered) may still be refreshed or shrunk.
        if (result.Count > maxBindings && result.Count > live) return LocationUpdateStatus.TooManyBindings;
        SortByQ(result);
        return LocationUpdateStatus.Ok;
    }

    /// <summary>Stable sort by q, highest first (RFC 3261 §16.6 / §8.1.3.4: higher q is tried first); insertion sort - lists are short.</summary>
    public static void SortByQ(List<LocationBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        for (int i = 1; i < bindings.Count; i++)
        {
            LocationBinding x = bindings[i];
            int j = i - 1;
            while (j >= 0 && bindings[j].EffectiveQMillis < x.EffectiveQMillis)
            {
                bindings[j + 1] = bindings[j];
                j--;
            }
            bindings[j + 1] = x;
        }
    }

    private static bool Matches(LocationBinding stored, LocationBinding change, ref SipUri? changeUri, ref bool changeParsed, SipUri?[] parsed, int index)
    {
        // RFC 5626 §6: with +sip.instance and reg-id the binding is identified by them, not by its URI.
        if (change.HasFlowKey)
        {
            return stored.HasFlowKey && stored.RegId == change.RegId && stored.InstanceId.SequenceEqual(change.InstanceId);
        }
        if (stored.Contact.SequenceEqual(change.Contact)) return true;
        if (!changeParsed)
        {
            changeParsed = true;
            changeUri = SipUri.TryParse(change.Contact, out SipUri? u) ? u : null;
        }
        if (changeUri is null) return false;
        // RFC 3261 §10.3 step 7: "using the URI comparison rules" of §19.1.4.
        SipUri? s = parsed[index];
        if (s is null)
        {
            if (!SipUri.TryParse(stored.Contact, out s)) return false;
            parsed[index] = s;
        }
        return s!.Equals(changeUri);
    }

    private static void RemoveAt(Span<bool> flags, int index, int count)
    {
        for (int i = index; i < count - 1; i++) flags[i] = flags[i + 1];
        flags[count - 1] = false;
    }

    private static void RemoveAt(SipUri?[] items, int index)
    {
        for (int i = index; i < items.Length - 1; i++) items[i] = items[i + 1];
        items[^1] = null;
    }
}
