// What every location service must do: RFC 3261 §10.3 steps 6-7 binding rules, q order, expiry, limits.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Location;

namespace Sipwire.Tests.Location;

/// <summary>The contract of <see cref="ILocationService"/>; each implementation runs it through <see cref="Create"/>.</summary>
public abstract class LocationServiceContract
{
    private const string Aor = "sip:alice@example.test";

    /// <summary>A new, empty store.</summary>
    protected abstract ILocationService Create(LocationLimits? limits = null);

    private static LocationBinding B(string contact, string callId, uint cseq, long expiresAtMs, int q = -1, string instance = "", int regId = -1) =>
        TestBindings.Make(contact, callId, cseq, expiresAtMs, q, instance, regId);

    private static LocationUpdateStatus Update(ILocationService s, string callId, uint cseq, long now, params LocationBinding[] changes) =>
        s.Update(Aor, changes, false, Encoding.ASCII.GetBytes(callId), cseq, now, null);

    private static string[] Contacts(ILocationService s, long now)
    {
        var list = new List<LocationBinding>();
        s.Lookup(Aor, now, list);
        return list.Select(b => b.ContactText).ToArray();
    }

    [Test]
    public void LookupIsOrderedByQHighestFirstAndStable()
    {
        var s = Create();
        Assert.That(Update(s, "c1", 1, 0,
            B("sip:a@192.0.2.1", "c1", 1, 60_000, q: 100),
            B("sip:b@192.0.2.2", "c1", 1, 60_000, q: 700),
            B("sip:c@192.0.2.3", "c1", 1, 60_000),
            B("sip:d@192.0.2.4", "c1", 1, 60_000, q: 700)), Is.EqualTo(LocationUpdateStatus.Ok));
        // No q ranks as 1.0; equal q keep the order of registration.
        Assert.That(Contacts(s, 1), Is.EqualTo(new[] { "sip:c@192.0.2.3", "sip:b@192.0.2.2", "sip:d@192.0.2.4", "sip:a@192.0.2.1" }));
    }

    [Test]
    public void RefreshWithHigherCSeqReplacesAndEqualOrLowerIsOutOfOrder()
    {
        var s = Create();
        Update(s, "c1", 5, 0, B("sip:a@192.0.2.1", "c1", 5, 60_000));
        Assert.That(Update(s, "c1", 5, 10, B("sip:a@192.0.2.1", "c1", 5, 90_000)), Is.EqualTo(LocationUpdateStatus.OutOfOrder));
        Assert.That(Update(s, "c1", 4, 10, B("sip:a@192.0.2.1", "c1", 4, 90_000)), Is.EqualTo(LocationUpdateStatus.OutOfOrder));
        var list = new List<LocationBinding>();
        s.Lookup(Aor, 10, list);
        Assert.That(list.Single().ExpiresAtMs, Is.EqualTo(60_000), "a rejected update changes nothing");
        Assert.That(Update(s, "c1", 6, 10, B("sip:a@192.0.2.1", "c1", 6, 90_000)), Is.EqualTo(LocationUpdateStatus.Ok));
        list.Clear();
        s.Lookup(Aor, 10, list);
        Assert.That(list.Single().ExpiresAtMs, Is.EqualTo(90_000));
        Assert.That(list.Single().CSeq, Is.EqualTo(6u));
    }

    [Test]
    public void OtherCallIdUpdatesWhateverItsCSeq()
    {
        // §10.3 step 7: a different Call-ID updates (the UA rebooted and starts a new sequence).
        var s = Create();
        Update(s, "c1", 100, 0, B("sip:a@192.0.2.1", "c1", 100, 60_000));
        Assert.That(Update(s, "c2", 1, 0, B("sip:a@192.0.2.1", "c2", 1, 30_000)), Is.EqualTo(LocationUpdateStatus.Ok));
        var list = new List<LocationBinding>();
        s.Lookup(Aor, 0, list);
        Assert.That(Encoding.ASCII.GetString(list.Single().CallId), Is.EqualTo("c2"));
    }

    [Test]
    public void ContactsMatchByUriComparisonRules()
    {
        // RFC 3261 §19.1.4: host compares case-insensitively; an escaped unreserved character equals itself.
        var s = Create();
        Update(s, "c1", 1, 0, B("sip:alice@PC.Example.TEST:5060;transport=udp", "c1", 1, 60_000));
        Update(s, "c1", 2, 0, B("sip:%61lice@pc.example.test:5060;transport=udp", "c1", 2, 70_000));
        Assert.That(Contacts(s, 0), Has.Length.EqualTo(1));
        // An explicit port differs from none.
        Update(s, "c1", 3, 0, B("sip:alice@pc.example.test;transport=udp", "c1", 3, 70_000));
        Assert.That(Contacts(s, 0), Has.Length.EqualTo(2));
    }

    [Test]
    public void ExpiresZeroRemovesOnlyThatBinding()
    {
        var s = Create();
        Update(s, "c1", 1, 0, B("sip:a@192.0.2.1", "c1", 1, 60_000), B("sip:b@192.0.2.2", "c1", 1, 60_000));
        Assert.That(Update(s, "c1", 2, 1000, B("sip:a@192.0.2.1", "c1", 2, 1000)), Is.EqualTo(LocationUpdateStatus.Ok));
        Assert.That(Contacts(s, 1000), Is.EqualTo(new[] { "sip:b@192.0.2.2" }));
        // Removing something never registered is not an error.
        Assert.That(Update(s, "c1", 3, 1000, B("sip:zz@192.0.2.9", "c1", 3, 0)), Is.EqualTo(LocationUpdateStatus.Ok));
    }

    [Test]
    public void InstanceAndRegIdIdentifyTheBindingInsteadOfItsUri()
    {
        // RFC 5626 §6: a new contact URI with the same +sip.instance and reg-id replaces the old binding.
        var s = Create();
        const string inst = "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";
        Update(s, "c1", 1, 0, B("sip:a@192.0.2.1:5060", "c1", 1, 60_000, instance: inst, regId: 1));
        Update(s, "c1", 2, 0, B("sip:a@198.51.100.7:40000", "c1", 2, 60_000, instance: inst, regId: 1));
        Assert.That(Contacts(s, 0), Is.EqualTo(new[] { "sip:a@198.51.100.7:40000" }));
        Update(s, "c1", 3, 0, B("sip:a@198.51.100.7:40001", "c1", 3, 60_000, instance: inst, regId: 2));
        Assert.That(Contacts(s, 0), Has.Length.EqualTo(2));
    }

    [Test]
    public void WildcardRemovesAllUnlessOutOfOrder()
    {
        var s = Create();
        Update(s, "c1", 10, 0, B("sip:a@192.0.2.1", "c1", 10, 60_000));
        Update(s, "c2", 3, 0, B("sip:b@192.0.2.2", "c2", 3, 60_000));
        // §10.3 step 6: a binding with the same Call-ID and a CSeq not lower aborts the whole removal.
        Assert.That(s.Update(Aor, [], true, "c1"u8, 10, 0, null), Is.EqualTo(LocationUpdateStatus.OutOfOrder));
        Assert.That(Contacts(s, 0), Has.Length.EqualTo(2));
        Assert.That(s.Update(Aor, [], true, "c1"u8, 11, 0, null), Is.EqualTo(LocationUpdateStatus.Ok));
        Assert.That(Contacts(s, 0), Is.Empty);
        Assert.That(s.AddressOfRecordCount, Is.Zero);
    }

    [Test]
    public void ExpiredBindingsAreInvisibleAndPurged()
    {
        var s = Create();
        Update(s, "c1", 1, 0, B("sip:a@192.0.2.1", "c1", 1, 5_000), B("sip:b@192.0.2.2", "c1", 1, 9_000));
        Assert.That(Contacts(s, 4_999), Has.Length.EqualTo(2));
        Assert.That(Contacts(s, 5_000), Is.EqualTo(new[] { "sip:b@192.0.2.2" }));
        Assert.That(s.PurgeExpired(5_000), Is.EqualTo(1));
        Assert.That(s.PurgeExpired(9_000), Is.EqualTo(1));
        Assert.That(s.AddressOfRecordCount, Is.Zero);
    }

    [Test]
    public void TooManyBindingsChangesNothing()
    {
        var s = Create(new LocationLimits { MaxBindingsPerAddressOfRecord = 2 });
        Update(s, "c1", 1, 0, B("sip:a@192.0.2.1", "c1", 1, 60_000), B("sip:b@192.0.2.2", "c1", 1, 60_000));
        Assert.That(Update(s, "c1", 2, 0, B("sip:c@192.0.2.3", "c1", 2, 60_000)), Is.EqualTo(LocationUpdateStatus.TooManyBindings));
        Assert.That(Contacts(s, 0), Is.EqualTo(new[] { "sip:a@192.0.2.1", "sip:b@192.0.2.2" }));
        // Replacing one by another in one request stays within the limit.
        Assert.That(Update(s, "c1", 3, 0, B("sip:a@192.0.2.1", "c1", 3, 0), B("sip:c@192.0.2.3", "c1", 3, 60_000)), Is.EqualTo(LocationUpdateStatus.Ok));
        Assert.That(Contacts(s, 0), Is.EqualTo(new[] { "sip:b@192.0.2.2", "sip:c@192.0.2.3" }));
    }

    [Test]
    public void FullTableRejectsNewAddressesUntilEntriesExpire()
    {
        var s = Create(new LocationLimits { MaxAddressesOfRecord = 2 });
        Assert.That(s.Update("sip:a@example.test", [B("sip:a@192.0.2.1", "c", 1, 10_000)], false, "c"u8, 1, 0, null), Is.EqualTo(LocationUpdateStatus.Ok));
        Assert.That(s.Update("sip:b@example.test", [B("sip:b@192.0.2.1", "c", 1, 60_000)], false, "c"u8, 1, 0, null), Is.EqualTo(LocationUpdateStatus.Ok));
        Assert.That(s.Update("sip:c@example.test", [B("sip:c@192.0.2.1", "c", 1, 60_000)], false, "c"u8, 1, 0, null), Is.EqualTo(LocationUpdateStatus.TableFull));
        // Existing addresses still refresh.
        Assert.That(s.Update("sip:b@example.test", [B("sip:b@192.0.2.1", "c", 2, 60_000)], false, "c"u8, 2, 0, null), Is.EqualTo(LocationUpdateStatus.Ok));
        // Once a's binding expired, the full table purges and admits c.
        Assert.That(s.Update("sip:c@example.test", [B("sip:c@192.0.2.1", "c", 1, 70_000)], false, "c"u8, 1, 10_000, null), Is.EqualTo(LocationUpdateStatus.Ok));
        Assert.That(s.AddressOfRecordCount, Is.EqualTo(2));
    }

    [Test]
    public void RemoveAllIsAdministrative()
    {
        var s = Create();
        Update(s, "c1", 1, 0, B("sip:a@192.0.2.1", "c1", 1, 60_000));
        Assert.That(s.RemoveAll(Aor, 0), Is.EqualTo(1));
        Assert.That(s.RemoveAll(Aor, 0), Is.Zero);
    }
}
