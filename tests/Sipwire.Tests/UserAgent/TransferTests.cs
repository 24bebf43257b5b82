// Call transfer between three UA cores over the simulated network: REFER (RFC 3515), Refer-Sub (RFC 4488), Replaces (RFC 3891), RFC 5589 flows.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sipwire.Dialogs;
using Sipwire.Tests.Simulation;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class TransferTests
{
    // Alice calls Bob; Bob transfers Alice to Carol (RFC 5589 names: Bob transferor, Alice
    // transferee, Carol transfer target).
    private static (SimNetwork Net, UaNode Alice, UaNode Bob, UaNode Carol) Three(int seed, double loss)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        return (net, new UaNode(net, "10.0.0.1:5060", "alice"), new UaNode(net, "10.0.0.2:5060", "bob"), new UaNode(net, "10.0.0.3:5060", "carol"));
    }

    private static List<TransferEvent> Record(SipCall call)
    {
        var list = new List<TransferEvent>();
        call.TransferChanged += list.Add;
        return list;
    }

    private static (SipCall AliceSide, SipCall BobSide) Connect(SimNetwork net, UaNode alice, UaNode bob)
    {
        bob.IncomingHook = c => c.Answer();
        SipCall a = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(20));
        SipCall b = bob.Incoming.Last();
        Assert.That((a.State, b.State), Is.EqualTo((CallState.Active, CallState.Active)), string.Join("\n", alice.CallEvents.Select(e => e.Event)));
        bob.IncomingHook = null;
        return (a, b);
    }

    private static string Describe(IEnumerable<TransferEvent> events) => string.Join("\n", events);

    private static string[] Sent(SimNetwork net, string startsWith) =>
        net.Sent.Select(p => p.Text).Where(t => t.StartsWith(startsWith, StringComparison.Ordinal)).Distinct().ToArray();

    [TestCase(0.0, 701)]
    [TestCase(0.2, 702)]
    [TestCase(0.2, 703)]
    public void BlindTransferSucceedsAndTheTransferorHangsUp(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, UaNode carol) = Three(seed, loss);
        (SipCall aliceBob, SipCall bobAlice) = Connect(net, alice, bob);
        List<TransferEvent> bobEvents = Record(bobAlice);
        List<TransferEvent> aliceEvents = Record(aliceBob);
        TransferRequest? offered = null;
        aliceBob.TransferRequested += r => offered = r;
        carol.IncomingHook = c => c.Answer();

        Assert.That(bobAlice.Transfer($"sip:carol@{carol.HostPort}"), Is.True);
        Assert.That(bobAlice.IsTransferring, Is.True);
        Assert.That(bobAlice.Transfer($"sip:carol@{carol.HostPort}"), Is.False, "one transfer at a time");
        net.RunFor(TimeSpan.FromSeconds(60));

        // Transferor: Accepted, Progress (100 Trying, 180 Ringing), then Succeeded 200, then BYE.
        Assert.That(bobEvents.Select(e => e.Kind).First(), Is.EqualTo(TransferEventKind.Accepted), Describe(bobEvents));
        Assert.That(bobEvents.Last().Kind, Is.EqualTo(TransferEventKind.Succeeded), Describe(bobEvents));
        Assert.That(bobEvents.Last().StatusCode, Is.EqualTo(200));
        Assert.That(bobEvents.Where(e => e.Kind == TransferEventKind.Progress).Select(e => e.StatusCode), Is.SubsetOf(new[] { 100, 180 }));
        Assert.That(bobAlice.IsTransferring, Is.False);
        Assert.That(bobAlice.State, Is.EqualTo(CallState.Terminated));
        Assert.That(bob.Last(bobAlice).ByLocal, Is.True);

        // Transferee: asked, accepted by default, placed the new call; the original ended by Bob's BYE.
        Assert.That(offered, Is.Not.Null);
        Assert.That(offered!.TargetUri, Is.EqualTo($"sip:carol@{carol.HostPort}"));
        Assert.That(offered.IsAttended, Is.False);
        Assert.That(offered.ReferredBy, Is.EqualTo("<sip:bob@example.test>"));
        Assert.That(aliceEvents.Single().Kind, Is.EqualTo(TransferEventKind.Referred));
        SipCall aliceCarol = aliceEvents.Single().NewCall!;
        Assert.That(aliceCarol.ReferredFrom, Is.SameAs(aliceBob));
        Assert.That(aliceCarol.State, Is.EqualTo(CallState.Active));
        Assert.That(aliceBob.State, Is.EqualTo(CallState.Terminated));

        // Target: a plain new call from Alice, with Referred-By (RFC 3892).
        SipCall carolAlice = carol.Incoming.Single();
        Assert.That(carolAlice.State, Is.EqualTo(CallState.Active));
        Assert.That(carolAlice.CallId, Is.EqualTo(aliceCarol.CallId));
        string invite = Sent(net, $"INVITE sip:carol@{carol.HostPort}").First();
        Assert.That(TransferRawPeer.Header(invite, "Referred-By"), Is.EqualTo("<sip:bob@example.test>"));

        // The wire: REFER with Refer-To/Referred-By; NOTIFYs with Event: refer;id=<REFER CSeq>,
        // message/sipfrag bodies, the last one terminated (RFC 3515 §2.4.4-2.4.7).
        string refer = Sent(net, "REFER ").Single();
        Assert.That(TransferRawPeer.Header(refer, "Refer-To"), Is.EqualTo($"<sip:carol@{carol.HostPort}>"));
        string referSeq = TransferRawPeer.Header(refer, "CSeq").Split(' ')[0];
        string[] notifies = Sent(net, "NOTIFY ");
        Assert.That(notifies, Is.Not.Empty);
        Assert.That(notifies.Select(n => TransferRawPeer.Header(n, "Event")), Has.All.EqualTo("refer;id=" + referSeq));
        Assert.That(notifies.Select(n => TransferRawPeer.Header(n, "Content-Type")), Has.All.EqualTo("message/sipfrag;version=2.0"));
        Assert.That(notifies.First(), Does.EndWith("\r\n\r\nSIP/2.0 100 Trying\r\n"));
        Assert.That(TransferRawPeer.Header(notifies.First(), "Subscription-State"), Does.StartWith("active;expires="));
        Assert.That(notifies.Last(), Does.EndWith("\r\n\r\nSIP/2.0 200 OK\r\n"));
        Assert.That(TransferRawPeer.Header(notifies.Last(), "Subscription-State"), Is.EqualTo("terminated;reason=noresource"));
        Assert.That(alice.Core.Calls.Count + bob.Core.Calls.Count + carol.Core.Calls.Count, Is.EqualTo(2), "Alice-Carol on both sides");
        if (loss > 0) Assert.That(net.Dropped, Is.GreaterThan(0));
    }

    [TestCase(0.0, 711)]
    [TestCase(0.2, 712)]
    public void BlindTransferToABusyTargetFailsAndTheTransferorKeepsTheCall(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, UaNode carol) = Three(seed, loss);
        (SipCall aliceBob, SipCall bobAlice) = Connect(net, alice, bob);
        List<TransferEvent> bobEvents = Record(bobAlice);
        List<TransferEvent> aliceEvents = Record(aliceBob);
        carol.IncomingHook = c => c.Reject(486, "Busy Here");

        Assert.That(bobAlice.Transfer($"sip:carol@{carol.HostPort}"), Is.True);
        net.RunFor(TimeSpan.FromSeconds(60));

        Assert.That(bobEvents.Last(), Is.EqualTo(new TransferEvent(TransferEventKind.Failed, 486, "Busy Here", null)), Describe(bobEvents));
        Assert.That(bobEvents.Count(e => e.Kind is TransferEventKind.Succeeded or TransferEventKind.Failed), Is.EqualTo(1));
        Assert.That(bobAlice.State, Is.EqualTo(CallState.Active), "RFC 5589 §6.2: the transferor keeps the call");
        Assert.That(aliceBob.State, Is.EqualTo(CallState.Active));
        SipCall aliceCarol = aliceEvents.Single().NewCall!;
        Assert.That(aliceCarol.State, Is.EqualTo(CallState.Terminated));
        Assert.That(aliceCarol.EndStatus, Is.EqualTo(486));
        string last = Sent(net, "NOTIFY ").Last();
        Assert.That(last, Does.EndWith("\r\n\r\nSIP/2.0 486 Busy Here\r\n"));
        Assert.That(TransferRawPeer.Header(last, "Subscription-State"), Is.EqualTo("terminated;reason=noresource"));

        // The call still works: the transferor may try again, or hang up.
        Assert.That(bobAlice.Hangup(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(aliceBob.State, Is.EqualTo(CallState.Terminated));
    }

    [TestCase(0.0, 721)]
    [TestCase(0.2, 722)]
    [TestCase(0.2, 723)]
    public void AttendedTransferReplacesTheConsultationCallAndEndsTheOriginal(double loss, int seed)
    {
        (SimNetwork net, UaNode alice, UaNode bob, UaNode carol) = Three(seed, loss);
        (SipCall aliceBob, SipCall bobAlice) = Connect(net, alice, bob);
        Assert.That(bobAlice.Hold(), Is.True);
        net.RunFor(TimeSpan.FromSeconds(30));
        (SipCall bobCarol, SipCall carolBob) = Connect(net, bob, carol);
        List<TransferEvent> bobEvents = Record(bobAlice);
        List<TransferEvent> aliceEvents = Record(aliceBob);
        List<TransferEvent> carolEvents = Record(carolBob);
        TransferRequest? offered = null;
        aliceBob.TransferRequested += r => offered = r;
        var carolNew = new List<SipCall>();
        carol.IncomingHook = carolNew.Add;

        Assert.That(bobAlice.TransferTo(bobCarol), Is.True);
        net.RunFor(TimeSpan.FromSeconds(60));

        // RFC 3891 §5: Refer-To carries Replaces with the consultation dialog seen from Carol,
        // escaped in the URI header part ('@' %40, ';' %3B, '=' %3D).
        string refer = Sent(net, "REFER ").Single();
        Dialog consult = bobCarol.Dialog!;
        string expected = $"<{consult.RemoteTarget}?Replaces={consult.CallId.Replace("@", "%40", StringComparison.Ordinal)}%3Bto-tag%3D{consult.RemoteTag}%3Bfrom-tag%3D{consult.LocalTag}>";
        Assert.That(TransferRawPeer.Header(refer, "Refer-To"), Is.EqualTo(expected));
        Assert.That(offered!.IsAttended, Is.True);
        Assert.That(offered.Replaces, Is.EqualTo($"{consult.CallId};to-tag={consult.RemoteTag};from-tag={consult.LocalTag}"));
        string invite = Sent(net, "INVITE ").Single(t => t.Contains("Replaces:", StringComparison.Ordinal));
        Assert.That(TransferRawPeer.Header(invite, "Replaces"), Is.EqualTo(offered.Replaces));

        // Carol: the new call from Alice replaced the consultation (answered at once), which was BYE'd with a Reason.
        SipCall carolAlice = carolNew.Single();
        Assert.That(carolAlice.State, Is.EqualTo(CallState.Active), string.Join("\n", carol.CallEvents.Select(e => e.Event)));
        Assert.That(carolAlice.ReplacedCall, Is.SameAs(carolBob));
        Assert.That(carolEvents.Single().Kind, Is.EqualTo(TransferEventKind.Replaced));
        Assert.That(carolEvents.Single().NewCall, Is.SameAs(carolAlice));
        Assert.That(carolBob.State, Is.EqualTo(CallState.Terminated));
        Assert.That(Sent(net, "BYE ").Any(t => t.Contains("Reason: SIP;cause=200;text=\"Replaced\"", StringComparison.Ordinal)), Is.True);

        // Bob: transfer succeeded; both of Bob's calls are over (the original by Bob's BYE, the consultation by Carol's).
        Assert.That(bobEvents.Last().Kind, Is.EqualTo(TransferEventKind.Succeeded), Describe(bobEvents));
        Assert.That(bobAlice.State, Is.EqualTo(CallState.Terminated));
        Assert.That(bobCarol.State, Is.EqualTo(CallState.Terminated));
        Assert.That(bob.Last(bobCarol).ByLocal, Is.False);

        // Alice: talking to Carol; her call with Bob is over.
        SipCall aliceCarol = aliceEvents.Single().NewCall!;
        Assert.That(aliceCarol.State, Is.EqualTo(CallState.Active));
        Assert.That(aliceCarol.CallId, Is.EqualTo(carolAlice.CallId));
        Assert.That(aliceBob.State, Is.EqualTo(CallState.Terminated));
        Assert.That(bob.Core.Calls, Is.Empty);
        Assert.That(bob.Core.Dialogs!.Count, Is.Zero);
    }

    [TestCase(0.0, 726)]
    [TestCase(0.2, 727)]
    public void AttendedTransferWorksWhenTheTargetPlacedTheConsultationCall(double loss, int seed)
    {
        // Carol called Bob (Bob is the UAS of the consultation dialog): the Replaces tags swap
        // sides in Bob's dialog, and Carol replaces a dialog she initiated (RFC 3891 §3: BYE it).
        (SimNetwork net, UaNode alice, UaNode bob, UaNode carol) = Three(seed, loss);
        (SipCall aliceBob, SipCall bobAlice) = Connect(net, alice, bob);
        (SipCall carolBob, SipCall bobCarol) = Connect(net, carol, bob);
        List<TransferEvent> bobEvents = Record(bobAlice);
        List<TransferEvent> carolEvents = Record(carolBob);
        var carolNew = new List<SipCall>();
        carol.IncomingHook = carolNew.Add;

        Assert.That(bobAlice.TransferTo(bobCarol), Is.True);
        net.RunFor(TimeSpan.FromSeconds(60));

        Assert.That(bobEvents.Last().Kind, Is.EqualTo(TransferEventKind.Succeeded), Describe(bobEvents));
        Assert.That(carolEvents.Single().Kind, Is.EqualTo(TransferEventKind.Replaced));
        Assert.That(carolNew.Single().State, Is.EqualTo(CallState.Active));
        Assert.That(carolNew.Single().ReplacedCall, Is.SameAs(carolBob));
        Assert.That((carolBob.State, bobCarol.State, bobAlice.State, aliceBob.State), Is.EqualTo((CallState.Terminated, CallState.Terminated, CallState.Terminated, CallState.Terminated)));
        Assert.That(bob.Core.Calls, Is.Empty);
        Assert.That(alice.Core.Calls.Single().State, Is.EqualTo(CallState.Active));
    }

    [Test]
    public void ReferSubFalseIsHonouredWithoutNotifies()
    {
        (SimNetwork net, UaNode alice, UaNode bob, UaNode carol) = Three(731, 0);
        (SipCall aliceBob, SipCall bobAlice) = Connect(net, alice, bob);
        List<TransferEvent> bobEvents = Record(bobAlice);
        List<TransferEvent> aliceEvents = Record(aliceBob);
        bool? reports = null;
        aliceBob.TransferRequested += r => reports = r.ReportsProgress;
        carol.IncomingHook = c => c.Answer();

        Assert.That(bobAlice.Transfer($"sip:carol@{carol.HostPort}", reportProgress: false), Is.True);
        net.RunFor(TimeSpan.FromSeconds(60));

        string refer = Sent(net, "REFER ").Single();
        Assert.That(TransferRawPeer.Header(refer, "Refer-Sub"), Is.EqualTo("false"));
        string accepted = Sent(net, "SIP/2.0 202 ").Single();
        Assert.That(TransferRawPeer.Header(accepted, "Refer-Sub"), Is.EqualTo("false"), "RFC 4488 §4: the 2xx says the subscription was suppressed");
        Assert.That(reports, Is.False);
        Assert.That(Sent(net, "NOTIFY "), Is.Empty);
        Assert.That(bobEvents.Single().Kind, Is.EqualTo(TransferEventKind.Accepted));
        Assert.That(bobEvents.Single().Reason, Does.Contain("Refer-Sub: false"));
        Assert.That(bobAlice.State, Is.EqualTo(CallState.Terminated), "no outcome will be reported: the transferor hangs up at the 202");
        Assert.That(aliceEvents.Single().NewCall!.State, Is.EqualTo(CallState.Active));
        Assert.That(carol.Incoming.Single().State, Is.EqualTo(CallState.Active));
    }

    [Test]
    public void TransfereeDeclinesWith603AndTheCallStays()
    {
        (SimNetwork net, UaNode alice, UaNode bob, UaNode carol) = Three(741, 0);
        (SipCall aliceBob, SipCall bobAlice) = Connect(net, alice, bob);
        List<TransferEvent> bobEvents = Record(bobAlice);
        aliceBob.TransferRequested += r => r.Decline();

        Assert.That(bobAlice.Transfer($"sip:carol@{carol.HostPort}"), Is.True);
        net.RunFor(TimeSpan.FromSeconds(10));

        Assert.That(bobEvents.Single(), Is.EqualTo(new TransferEvent(TransferEventKind.Failed, 603, "Declined", null)));
        Assert.That((aliceBob.State, bobAlice.State), Is.EqualTo((CallState.Active, CallState.Active)));
        Assert.That(carol.Incoming, Is.Empty);
        Assert.That(Sent(net, "NOTIFY "), Is.Empty);
    }

    [Test]
    public void TransferNeedsAnEstablishedCallAndASipTarget()
    {
        (SimNetwork net, UaNode alice, UaNode bob, UaNode carol) = Three(751, 0);
        SipCall ringing = alice.Call(bob);
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.That(ringing.State, Is.EqualTo(CallState.Ringing));
        Assert.That(ringing.Transfer($"sip:carol@{carol.HostPort}"), Is.False);
        bob.Incoming.Single().Answer();
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.That(ringing.Transfer("mailto:carol@example.test"), Is.False);
        Assert.That(ringing.Transfer("sip:carol@10.0.0.3\r\nVia: x"), Is.False);
        Assert.That(ringing.Transfer("not a uri"), Is.False);
        Assert.That(ringing.TransferTo(ringing), Is.False);
        Assert.That(Sent(net, "REFER "), Is.Empty);
    }

    [Test]
    public void NoResponseToReferFailsTheTransferWith408AndKeepsTheCall()
    {
        (SimNetwork net, UaNode alice, UaNode bob, UaNode _) = Three(761, 0);
        (SipCall aliceBob, SipCall bobAlice) = Connect(net, alice, bob);
        List<TransferEvent> bobEvents = Record(bobAlice);
        net.SetLink(bob.Address, alice.Address, new LinkConditions { Loss = 1.0 });
        Assert.That(bobAlice.Transfer("sip:carol@10.0.0.3:5060"), Is.True);
        net.RunFor(TimeSpan.FromSeconds(40));
        Assert.That(bobEvents.Single().Kind, Is.EqualTo(TransferEventKind.Failed));
        Assert.That(bobEvents.Single().StatusCode, Is.EqualTo(408));
        Assert.That(bobAlice.State, Is.EqualTo(CallState.Active));
        Assert.That(bobAlice.IsTransferring, Is.False);
        _ = aliceBob;
    }
}
