// The Redis location service: the location-service contract, the record codec, and two registrars sharing one store.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;
using Sipwire.Location;
using Sipwire.Registrar;
using Sipwire.Tests.Location;
using Sipwire.Tests.Registrar;
using StackExchange.Redis;

namespace Sipwire.Redis.Tests;

[TestFixture]
public sealed class RedisLocationServiceTests : LocationServiceContract
{
    private readonly List<ConnectionMultiplexer> _connections = [];

    protected override ILocationService Create(LocationLimits? limits = null) => New(Guid.NewGuid().ToString("N"), limits);

    private RedisLocationService New(string table, LocationLimits? limits = null)
    {
        ConnectionMultiplexer c = RedisServer.Connect();
        _connections.Add(c);
        return new RedisLocationService(c, $"test:{table}:", limits);
    }

    [TearDown]
    public void CloseConnections()
    {
        foreach (ConnectionMultiplexer c in _connections) c.Dispose();
        _connections.Clear();
    }

    [Test]
    public void TwoRegistrarsShareRegistrations()
    {
        // Two nodes, each with its own connection and registrar, one table.
        string table = Guid.NewGuid().ToString("N");
        var a = new RegistrarHarness(auth: false, location: New(table));
        var b = new RegistrarHarness(auth: false, location: New(table));
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        a.NowMs = b.NowMs = now;

        Assert.That(a.Process(a.Register("alice", ["Contact: <sip:alice@192.0.2.1:5062>;expires=600"], cseq: 1)).StatusCode, Is.EqualTo(200));
        Assert.That(b.Contacts(), Is.EqualTo(new[] { "sip:alice@192.0.2.1:5062" }), "node B sees node A's registration");

        // B refreshes and adds a contact; A's 200 lists both.
        RegistrarResponse viaB = b.Process(b.Register("alice", ["Contact: <sip:alice@192.0.2.1:5062>;expires=900", "Contact: <sip:alice@192.0.2.7>;q=0.5"], cseq: 2));
        Assert.That(viaB.StatusCode, Is.EqualTo(200));
        RegistrarResponse query = a.Process(a.Register("alice", [], cseq: 3));
        Assert.That(query.Headers.Where(h => h.Key == "Contact").Select(h => h.Value).ToArray(),
            Is.EqualTo(new[] { "<sip:alice@192.0.2.1:5062>;expires=900", "<sip:alice@192.0.2.7>;expires=3600;q=0.5" }));

        // The Call-ID/CSeq order is shared too: a delayed request on A with an old CSeq fails.
        Assert.That(a.Process(a.Register("alice", ["Contact: <sip:alice@192.0.2.1:5062>;expires=0"], cseq: 2)).StatusCode, Is.EqualTo(500));
        // Wildcard removal on A empties B's view.
        Assert.That(a.Process(a.Register("alice", ["Contact: *", "Expires: 0"], cseq: 4)).StatusCode, Is.EqualTo(200));
        Assert.That(b.Contacts(), Is.Empty);
        Assert.That(b.Location.AddressOfRecordCount, Is.Zero);
    }

    [Test]
    public void ConcurrentNodesLoseNoBinding()
    {
        // Optimistic transactions: 2 nodes x 20 contacts for the same AoR, each contact its own Call-ID, in parallel.
        string table = Guid.NewGuid().ToString("N");
        var limits = new LocationLimits { MaxBindingsPerAddressOfRecord = 100 };
        RedisLocationService[] nodes = [New(table, limits), New(table, limits)];
        Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            string callId = $"call-{i}";
            LocationBinding b = TestBindings.Make($"sip:dev{i}@192.0.2.{i + 1}", callId, 1, 60_000);
            LocationUpdateStatus s = nodes[i % 2].Update("sip:alice@example.test", [b], false, System.Text.Encoding.ASCII.GetBytes(callId), 1, 0, null);
            Assert.That(s, Is.EqualTo(LocationUpdateStatus.Ok));
        });
        var list = new List<LocationBinding>();
        Assert.That(nodes[0].Lookup("sip:alice@example.test", 0, list), Is.EqualTo(40));
    }

    [Test]
    public void UnreachableStoreGives503AndLosesNothing()
    {
        // Nothing listens on this port: every operation fails fast and the registrar says so instead of throwing.
        var options = new ConfigurationOptions { AbortOnConnectFail = false, ConnectTimeout = 200, SyncTimeout = 300, ConnectRetry = 0 };
        options.EndPoints.Add(System.Net.IPAddress.Loopback, RedisServer.UnusedPort());
        using ConnectionMultiplexer dead = ConnectionMultiplexer.Connect(options);
        var store = new RedisLocationService(dead, "test:dead:");
        var h = new RegistrarHarness(auth: false, location: store);
        RegistrarResponse r = h.Process(h.Register("alice", ["Contact: <sip:alice@192.0.2.1>"]));
        Assert.That(r.StatusCode, Is.EqualTo(503));
        Assert.That(r.GetHeader("Retry-After"), Is.Not.Null);
        Assert.That(store.Lookup("sip:alice@example.test", 0, new List<LocationBinding>()), Is.EqualTo(-1));
    }

    [Test]
    public void CodecRoundTripsAndRejectsCorruption()
    {
        var bindings = new List<LocationBinding>
        {
            new("sip:a@192.0.2.1"u8, ";q=0.5"u8, "call"u8, 7, 500, 1234, "<sip:p;lr>"u8, "<urn:x>"u8, 2, "udp:192.0.2.1:5060"u8),
            TestBindings.Make("sip:b@192.0.2.2", "c2", 1, 99),
        };
        byte[] data = LocationRecordCodec.Encode(bindings);
        var back = new List<LocationBinding>();
        Assert.That(LocationRecordCodec.TryDecode(data, back), Is.True);
        Assert.That(back.Select(x => x.ToString()), Is.EqualTo(bindings.Select(x => x.ToString())));
        Assert.That(back[0].Path.SequenceEqual("<sip:p;lr>"u8), Is.True);
        Assert.That(back[0].RegId, Is.EqualTo(2));
        for (int cut = 0; cut < data.Length; cut++)
        {
            var partial = new List<LocationBinding>();
            Assert.That(LocationRecordCodec.TryDecode(data.AsSpan(0, cut), partial), Is.False, $"prefix {cut}");
            Assert.That(partial, Is.Empty);
        }
        byte[] wrongVersion = (byte[])data.Clone();
        wrongVersion[0] = 9;
        Assert.That(LocationRecordCodec.TryDecode(wrongVersion, back), Is.False);
    }

    [Test]
    public void PurgeRemovesExpiredBindingsAndEmptyAddresses()
    {
        ILocationService s = Create();
        s.Update("sip:a@example.test", [TestBindings.Make("sip:a@192.0.2.1", "c", 1, 5_000), TestBindings.Make("sip:b@192.0.2.1", "c", 1, 50_000)], false, "c"u8, 1, 0, null);
        s.Update("sip:z@example.test", [TestBindings.Make("sip:z@192.0.2.1", "c", 1, 5_000)], false, "c"u8, 1, 0, null);
        Assert.That(s.AddressOfRecordCount, Is.EqualTo(2));
        Assert.That(s.PurgeExpired(6_000), Is.EqualTo(2));
        Assert.That(s.AddressOfRecordCount, Is.EqualTo(1));
    }
}
