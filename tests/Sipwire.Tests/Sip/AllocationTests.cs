// Steady-state parse plus hot-field reads allocate nothing (GC.GetAllocatedBytesForCurrentThread).
// SPDX-License-Identifier: MIT

using System;
using NUnit.Framework;
using Sipwire.Sip;

namespace Sipwire.Tests.Sip;

[TestFixture]
public sealed class AllocationTests
{
    [TestCase("typical/invite-sdp.dat", SipFraming.Datagram)]
    [TestCase("typical/ok200.dat", SipFraming.Datagram)]
    [TestCase("typical/register.dat", SipFraming.Stream)]
    [TestCase("rfc4475/wsinv.dat", SipFraming.Datagram)]
    public void ParseAndHotFieldReadsAllocateNothing(string file, SipFraming framing)
    {
        byte[] bytes = SipVectors.Read(file);
        var message = new SipMessage();
        long sink = 0;
        // Steady state: past tiered JIT promotion (30 calls plus back-edges), whose one-time
        // bookkeeping can land on this thread. The best of three rounds must allocate nothing.
        for (int warm = 0; warm < 200; warm++) sink += ParseAndRead(bytes, framing, message);
        long allocated = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) sink += ParseAndRead(bytes, framing, message);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.That(sink, Is.GreaterThan(0));
        Assert.That(allocated, Is.Zero);
    }

    private static long ParseAndRead(byte[] bytes, SipFraming framing, SipMessage message)
    {
        // Both entry points: over caller memory, and copied into the message's own buffer.
        SipParseResult r = SipParser.Parse(bytes.AsMemory(), framing, message);
        SipParseResult r2 = SipParser.Parse(bytes.AsSpan(), framing, message);
        if (!r.IsDone || !r2.IsDone) return -1_000_000;
        SipVia via = message.TopVia;
        long n = via.Branch.Length + via.Host.Length + via.Port + message.CallId.Length + message.CSeqNumber
            + message.From.Tag.Length + message.To.Tag.Length + message.MaxForwards + message.ContentLength
            + message.Contact.Uri.Length + (int)message.CSeqMethod;
        foreach (SipVia v in message.Vias) n += v.Branch.Length;
        return n;
    }
}
