// The location service a registrar writes and a proxy or redirect server reads (RFC 3261 §10, §16.5).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;

namespace Sipwire.Location;

/// <summary>
/// Bindings per address-of-record. An address-of-record is given in canonical form (RFC 3261 §10.3
/// step 5: URI parameters removed, escapes resolved, e.g. "sip:alice@example.test").
/// Time is passed in (sans-IO): <c>nowMs</c> is milliseconds on a clock every user of the store
/// shares - any monotonic clock for a store inside one process, Unix time for a store shared by
/// several nodes. Expired bindings are never returned; they are dropped when next touched and by
/// <see cref="PurgeExpired"/>.
/// </summary>
public interface ILocationService
{
    /// <summary>The configured bounds.</summary>
    LocationLimits Limits { get; }

    /// <summary>
    /// Applies the binding changes of one REGISTER atomically (RFC 3261 §10.3 steps 6-7): each entry of
    /// <paramref name="changes"/> adds, refreshes or (with <see cref="LocationBinding.ExpiresAtMs"/> not
    /// after <paramref name="nowMs"/>) removes the binding it matches - by +sip.instance and reg-id when
    /// both are present (RFC 5626 §6), else by URI comparison (RFC 3261 §19.1.4). With
    /// <paramref name="removeAll"/> (Contact "*") every binding goes. A matched binding with the same
    /// Call-ID and a CSeq not lower than <paramref name="cseq"/> aborts the whole update.
    /// </summary>
    /// <param name="addressOfRecord">The canonical address-of-record.</param>
    /// <param name="changes">New binding values (all with the request's Call-ID and CSeq).</param>
    /// <param name="removeAll">Contact "*" with Expires: 0.</param>
    /// <param name="callId">The request's Call-ID.</param>
    /// <param name="cseq">The request's CSeq number.</param>
    /// <param name="nowMs">The current time on the store's clock.</param>
    /// <param name="current">When not null, receives the bindings after the update (on success), highest q first.</param>
    LocationUpdateStatus Update(string addressOfRecord, ReadOnlySpan<LocationBinding> changes, bool removeAll,
        ReadOnlySpan<byte> callId, uint cseq, long nowMs, List<LocationBinding>? current);

    /// <summary>
    /// Adds the live bindings of <paramref name="addressOfRecord"/> to <paramref name="into"/>, highest q first;
    /// returns how many, or -1 when a shared store could not be reached (nothing added).
    /// </summary>
    int Lookup(string addressOfRecord, long nowMs, List<LocationBinding> into);

    /// <summary>Removes every binding of an address-of-record (administrative; no Call-ID check). Returns how many were live.</summary>
    int RemoveAll(string addressOfRecord, long nowMs);

    /// <summary>Drops every expired binding; returns how many were dropped.</summary>
    int PurgeExpired(long nowMs);

    /// <summary>How many addresses-of-record have at least one binding stored (expired ones may count until purged).</summary>
    int AddressOfRecordCount { get; }
}
