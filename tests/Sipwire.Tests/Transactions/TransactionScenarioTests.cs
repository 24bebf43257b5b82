// Two transaction layers talking over the simulated network: CANCEL (§9), loss, reordering, allocation.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using NUnit.Framework;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Transactions;
using static Sipwire.Tests.Transactions.TestMessages;

namespace Sipwire.Tests.Transactions;

[TestFixture]
public sealed class TransactionScenarioTests
{
    private static T[] A<T>(params T[] values) => values;

    private static (SimNetwork Net, SimNode Uac, SimNode Uas) Pair(int seed, LinkConditions link)
    {
        var net = new SimNetwork(seed) { DefaultLink = link };
        return (net, new SimNode(net, "10.0.0.1:5060"), new SimNode(net, "10.0.0.2:5060"));
    }

    [Test]
    public void CancelBeforeProvisionalWaitsThenCancelsAnd487IsAcked()
    {
        (SimNetwork net, SimNode uac, SimNode uas) = Pair(3, LinkConditions.Perfect);
        uas.Recorder.OnRequestHook = (tx, _) => { };
        uas.Recorder.OnCancelHook = (invite, _) => uas.Layer.Respond(invite, 487, "Request Terminated"u8, "u1"u8);
        Transaction invite = uac.Layer.SendRequest(Request("INVITE", "z9hG4bK-inv"), uas.Address)!;
        Assert.That(uac.Layer.Cancel(invite), Is.True);
        Assert.That(net.Sent.Count(p => p.StartLine.StartsWith("CANCEL", StringComparison.Ordinal)), Is.Zero, "§9.1: no CANCEL before a provisional response");
        net.RunFor(TimeSpan.FromSeconds(1)); // the UAS sends 100 Trying at 200 ms
        SimPacket cancel = net.Sent.Single(p => p.StartLine.StartsWith("CANCEL", StringComparison.Ordinal));
        Assert.That(cancel.Text, Does.Contain("Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-inv\r\n"));
        Assert.That(cancel.Text, Does.Contain("CSeq: 1 CANCEL\r\n"));
        Assert.That(uas.Recorder.Events, Does.Contain("cancel"));
        Assert.That(uac.Recorder.Events, Does.Contain("response 200 Cancel"));
        Assert.That(uac.Recorder.Events, Does.Contain("response 487 Invite"));
        Assert.That(net.Sent.Count(p => p.StartLine.StartsWith("ACK", StringComparison.Ordinal)), Is.EqualTo(1));
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(uac.Layer.Count + uas.Layer.Count, Is.Zero);
        Assert.That(uas.Recorder.Errors, Is.Empty);
    }

    [Test]
    public void CancelWithoutMatchingInviteGets481()
    {
        (SimNetwork net, SimNode uac, SimNode uas) = Pair(4, LinkConditions.Perfect);
        uac.Layer.SendRequest(Request("CANCEL", "z9hG4bK-none"), uas.Address);
        net.RunFor(TimeSpan.FromMilliseconds(10));
        Assert.That(uac.Recorder.Responses, Is.EqualTo(A(481)));
        Assert.That(uas.Recorder.Requests, Is.Empty, "the layer answers it; the TU never sees the CANCEL");
    }

    [Test]
    public void Late2xxAfterCancelReachesTheTuInAccepted()
    {
        // The UAS answers 200 before the CANCEL arrives: the CANCEL still gets 200 (§9.2), the
        // INVITE stays answered, and the UAC's transaction passes the 2xx up (the UA core then ACKs and BYEs, §15).
        (SimNetwork net, SimNode uac, SimNode uas) = Pair(5, LinkConditions.Perfect with { Delay = TimeSpan.FromMilliseconds(20) });
        uas.Recorder.OnRequestHook = (tx, _) => uas.Layer.Respond(tx, 180, "Ringing"u8, "u2"u8);
        Transaction invite = uac.Layer.SendRequest(Request("INVITE", "z9hG4bK-late"), uas.Address)!;
        net.RunFor(TimeSpan.FromMilliseconds(45)); // 180 arrived at the UAC at 40 ms
        Assert.That(invite.State, Is.EqualTo(TransactionState.Proceeding));
        Transaction uasInvite = uas.Recorder.Requests.Single();
        uas.Layer.Respond(uasInvite, 200, "OK"u8, "u2"u8);
        uac.Layer.Cancel(invite);
        net.RunFor(TimeSpan.FromMilliseconds(100));
        Assert.That(uas.Recorder.Events, Does.Not.Contain("cancel"), "an answered INVITE is not cancelled");
        Assert.That(uac.Recorder.Events, Does.Contain("response 200 Invite"));
        Assert.That(uac.Recorder.Events, Does.Contain("response 200 Cancel"));
        Assert.That(invite.State, Is.EqualTo(TransactionState.Accepted));
    }

    [Test]
    public void CancelTimeoutGivesUpTheInviteAfter64T1()
    {
        var net = new SimNetwork(6) { DefaultLink = LinkConditions.Perfect };
        var uac = new SimNode(net, "10.0.0.1:5060");
        var hole = new BlackHole(net, "10.0.0.2:5060");
        Transaction invite = uac.Layer.SendRequest(Request("INVITE", "z9hG4bK-ct"), hole.Address)!;
        net.Send(hole.Address, uac.Address, Response(180, "Ringing", "INVITE", "z9hG4bK-ct"));
        net.RunFor(TimeSpan.FromMilliseconds(5));
        uac.Layer.Cancel(invite);
        net.RunFor(TimeSpan.FromSeconds(31.9));
        Assert.That(uac.Recorder.Errors, Is.Empty);
        net.RunFor(TimeSpan.FromSeconds(0.2));
        // The CANCEL's own Timer F and the INVITE's 64*T1 guard (§9.1) end together.
        Assert.That(uac.Recorder.Errors.Select(e => (e.Tx.Kind, e.Error)).OrderBy(e => e.Kind).ToArray(),
            Is.EqualTo(A((TransactionKind.InviteClient, TransactionError.CancelTimeout), (TransactionKind.NonInviteClient, TransactionError.Timeout))));
        Assert.That(uac.Layer.Count, Is.Zero);
    }

    [TestCase(11)]
    [TestCase(12)]
    [TestCase(13)]
    public void NonInviteTransactionsCompleteUnder30PercentLoss(int seed)
    {
        var lossy = new LinkConditions { Loss = 0.3, Delay = TimeSpan.FromMilliseconds(20), Jitter = TimeSpan.FromMilliseconds(30), Duplication = 0.05, Reorder = 0.1 };
        (SimNetwork net, SimNode uac, SimNode uas) = Pair(seed, lossy);
        uas.Recorder.OnRequestHook = (tx, _) => uas.Layer.Respond(tx, 200, "OK"u8, "u"u8);
        const int Count = 50;
        for (int i = 0; i < Count; i++)
        {
            uac.Layer.SendRequest(Request("OPTIONS", $"z9hG4bK-l{i}", callId: $"c{i}"), uas.Address);
        }
        net.RunFor(TimeSpan.FromSeconds(60));
        // A transaction fails only when all ~11 requests or all answers are lost: 0.3^11 or less.
        Assert.That(uac.Recorder.Responses.Count(c => c == 200), Is.EqualTo(Count));
        Assert.That(uac.Recorder.Errors, Is.Empty);
        Assert.That(uas.Recorder.Requests, Has.Count.EqualTo(Count), "every retransmission was absorbed");
        Assert.That(uac.Layer.Count + uas.Layer.Count, Is.Zero);
        Assert.That(net.Dropped, Is.GreaterThan(0));
    }

    [TestCase(21)]
    [TestCase(22)]
    public void RejectedInvitesCompleteUnder30PercentLoss(int seed)
    {
        var lossy = new LinkConditions { Loss = 0.3, Delay = TimeSpan.FromMilliseconds(20), Jitter = TimeSpan.FromMilliseconds(30), Duplication = 0.05 };
        (SimNetwork net, SimNode uac, SimNode uas) = Pair(seed, lossy);
        uas.Recorder.OnRequestHook = (tx, _) => uas.Layer.Respond(tx, 486, "Busy Here"u8, "u"u8);
        const int Count = 30;
        for (int i = 0; i < Count; i++)
        {
            uac.Layer.SendRequest(Request("INVITE", $"z9hG4bK-i{i}", callId: $"c{i}"), uas.Address);
        }
        net.RunFor(TimeSpan.FromSeconds(80));
        Assert.That(uac.Recorder.Responses.Count(c => c == 486), Is.EqualTo(Count));
        Assert.That(uas.Recorder.Requests, Has.Count.EqualTo(Count), "retransmitted INVITEs absorbed");
        // Every UAS transaction saw its ACK (Confirmed, not Timer H).
        Assert.That(uas.Recorder.Errors, Is.Empty);
        Assert.That(uac.Layer.Count + uas.Layer.Count, Is.Zero);
    }

    [Test]
    public void MatchingAndStateUpdateAllocateNothing()
    {
        (SimNetwork net, SimNode uac, SimNode uas) = Pair(7, LinkConditions.Perfect);
        var clientDirect = new DirectSender();
        var serverDirect = new DirectSender();
        var layer = new TransactionLayer(new EndpointOptions(), serverDirect, new RecordingUser(), net.Clock);
        byte[] request = Request("OPTIONS", "z9hG4bK-alloc");
        var msg = new SipMessage();
        var from = uac.Address;
        Assert.That(SipParser.Parse(request.AsMemory(), SipFraming.Datagram, msg).IsDone);
        layer.Receive(msg, from);
        Transaction tx = ((RecordingUser)GetUser(layer)).Requests.Single();
        layer.Respond(tx, 200, "OK"u8, "t"u8);
        // Warm-up, then retransmissions: match + resend of the stored response.
        for (int i = 0; i < 10; i++) layer.Receive(msg, from);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) layer.Receive(msg, from);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
        Assert.That(serverDirect.Sent, Is.EqualTo(1011));
        _ = clientDirect;
        _ = uas;
    }

    private static ITransactionUser GetUser(TransactionLayer layer) =>
        (ITransactionUser)typeof(TransactionLayer).GetField("_user", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(layer)!;

    private sealed class DirectSender : Sipwire.Transport.ITransportSender
    {
        public int Sent { get; private set; }

        public bool Send(ReadOnlySpan<byte> message, in Sipwire.Transport.PeerAddress destination)
        {
            Sent++;
            return true;
        }
    }
}
