// A deterministic simulated IP network in virtual time: several endpoints in one process, impaired links.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Timing;
using Sipwire.Transport;

namespace Sipwire.Tests.Simulation;

/// <summary>
/// Delivers datagrams between <see cref="ISimHost"/>s with per-link loss, delay, jitter,
/// duplication and reordering drawn from one seeded generator, and advances a
/// <see cref="VirtualClock"/> from event to event (packet arrival or the next host timer), so
/// Timer B (32 s) takes microseconds of real time and every run with the same seed is identical.
/// </summary>
public sealed class SimNetwork
{
    private readonly Random _random;
    private readonly Dictionary<PeerAddress, ISimHost> _hosts = [];
    private readonly Dictionary<(PeerAddress, PeerAddress), LinkConditions> _links = [];
    private readonly PriorityQueue<SimPacket, (long, long)> _inFlight = new();
    private long _sequence;

    public SimNetwork(int seed)
    {
        _random = new Random(seed);
    }

    public VirtualClock Clock { get; } = new(1_000_000);

    /// <summary>Conditions of links without their own.</summary>
    public LinkConditions DefaultLink { get; set; } = LinkConditions.Perfect;

    /// <summary>Every datagram offered to the network, in send order (before impairments).</summary>
    public List<SimPacket> Sent { get; } = [];

    public int Delivered { get; private set; }

    public int Dropped { get; private set; }

    public void Attach(ISimHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _hosts.Add(host.Address.WithConnection(0).WithProtocol(TransportProtocol.Udp), host);
    }

    /// <summary>Conditions from <paramref name="from"/> to <paramref name="to"/> (one direction).</summary>
    public void SetLink(PeerAddress from, PeerAddress to, LinkConditions conditions) =>
        _links[(from.WithConnection(0).WithProtocol(TransportProtocol.Udp), to.WithConnection(0).WithProtocol(TransportProtocol.Udp))] = conditions;

    public void Send(PeerAddress from, PeerAddress to, ReadOnlySpan<byte> data)
    {
        byte[] copy = data.ToArray();
        var packet = new SimPacket(Clock.NowMicros, from, to, copy);
        Sent.Add(packet);
        LinkConditions link = _links.TryGetValue((from.WithConnection(0).WithProtocol(TransportProtocol.Udp), to.WithConnection(0).WithProtocol(TransportProtocol.Udp)), out LinkConditions? l) ? l : DefaultLink;
        int copies = _random.NextDouble() < link.Duplication ? 2 : 1;
        for (int i = 0; i < copies; i++)
        {
            if (_random.NextDouble() < link.Loss)
            {
                Dropped++;
                continue;
            }
            long delay = link.Delay.Ticks / 10;
            if (link.Jitter > TimeSpan.Zero) delay += (long)(_random.NextDouble() * (link.Jitter.Ticks / 10));
            if (_random.NextDouble() < link.Reorder) delay += link.ReorderDelay.Ticks / 10;
            long at = Clock.NowMicros + delay;
            _inFlight.Enqueue(packet with { SentAt = at }, (at, _sequence++));
        }
    }

    /// <summary>Runs events until virtual time reaches <paramref name="micros"/> (absolute).</summary>
    public void RunUntil(long micros)
    {
        while (true)
        {
            long next = long.MaxValue;
            if (_inFlight.TryPeek(out _, out (long At, long Seq) p)) next = p.At;
            foreach (ISimHost h in _hosts.Values) next = Math.Min(next, h.NextDeadline);
            if (next > micros) break;
            if (next > Clock.NowMicros) Clock.AdvanceTo(next);
            while (_inFlight.TryPeek(out SimPacket? pkt, out (long At, long Seq) q) && q.At <= Clock.NowMicros)
            {
                _inFlight.Dequeue();
                if (_hosts.TryGetValue(pkt.To.WithConnection(0).WithProtocol(TransportProtocol.Udp), out ISimHost? host))
                {
                    Delivered++;
                    host.Deliver(pkt.Data, pkt.From);
                }
                else
                {
                    Dropped++;
                }
            }
            foreach (ISimHost h in _hosts.Values) h.ProcessTimers();
        }
        if (micros > Clock.NowMicros) Clock.AdvanceTo(micros);
    }

    /// <summary>Runs for <paramref name="duration"/> of virtual time.</summary>
    public void RunFor(TimeSpan duration) => RunUntil(Clock.NowMicros + duration.Ticks / 10);
}
