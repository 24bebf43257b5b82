// Transfer syntax against the RFC examples in tests/vectors/sip/transfer: Refer-To (RFC 3515 §2.1), Replaces (RFC 3891), message/sipfrag (RFC 3420).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.Sip;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

[TestFixture]
public sealed class TransferVectorTests
{
    private static IEnumerable<string[]> Rows(string file) =>
        Encoding.UTF8.GetString(SipVectors.Read("transfer/" + file)).Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t').Select(c => c.Replace("\\r\\n", "\r\n", StringComparison.Ordinal)).ToArray());

    private static IEnumerable<TestCaseData> ReferTo() => Rows("refer-to.tsv").Select(r => new TestCaseData(r[0], r[1], r[2], int.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture)).SetArgDisplayNames(r[0]));

    private static IEnumerable<TestCaseData> ReferToWithReplaces() => Rows("refer-to.tsv").Where(r => r[2] != "-").Select(r => new TestCaseData(r[0], r[1], r[2]).SetArgDisplayNames(r[0]));

    private static IEnumerable<TestCaseData> Replaces() => Rows("replaces.tsv").Select(r => new TestCaseData((object)r).SetArgDisplayNames(r[0].Replace("\r\n", "\\r\\n", StringComparison.Ordinal)));

    private static IEnumerable<TestCaseData> Sipfrag() => Rows("sipfrag.tsv").Select(r => new TestCaseData((object)r).SetArgDisplayNames(r[0].Length == 0 ? "(empty)" : r[0].Replace("\r\n", "\\r\\n", StringComparison.Ordinal)));

    [TestCaseSource(nameof(ReferTo))]
    public void ReferToExampleIsActedOnAsTheRfcSays(string value, string target, string replaces, int status)
    {
        var net = new SimNetwork(991) { DefaultLink = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) } };
        var ua = new UaNode(net, "10.0.0.1:5060", "alice");
        ua.IncomingHook = c => c.Answer();
        var peer = new TransferRawPeer(net);
        peer.CallInto(ua);
        var proxy = new BlackHole(net, "10.0.0.5:5060");
        TransferRequest? offered = null;
        ua.Incoming.Single().TransferRequested += r =>
        {
            offered = r;
            r.Destination = proxy.Address; // the names are not IP literals: the application routes them
        };

        string response = peer.SendInDialog(ua, "REFER", $"Refer-To: {value}\r\n");

        Assert.That(TransferRawPeer.Status(response), Is.EqualTo(status), response);
        if (status != 202)
        {
            Assert.That(offered, Is.Null);
            Assert.That(proxy.Received, Is.Empty);
            return;
        }
        Assert.That(offered!.TargetUri, Is.EqualTo(target));
        Assert.That(offered.Replaces, Is.EqualTo(replaces == "-" ? null : replaces));
        string invite = proxy.Received.Select(p => p.Packet.Text).First(t => t.StartsWith("INVITE ", StringComparison.Ordinal));
        Assert.That(invite, Does.StartWith($"INVITE {target} SIP/2.0\r\n"));
        Assert.That(invite, Does.Not.Contain("Accept-Contact").And.Not.Contain("55432"), "RFC 3261 §19.1.5: other URI headers are not copied");
        if (replaces == "-") Assert.That(invite, Does.Not.Contain("Replaces:"));
        else Assert.That(TransferRawPeer.Header(invite, "Replaces"), Is.EqualTo(replaces));
    }

    [TestCaseSource(nameof(ReferToWithReplaces))]
    public void ReplacesIsEscapedInTheReferToUriAsTheRfcExampleShows(string value, string target, string replaces)
    {
        // RFC 3891 §5: '@' as %40, ';' as %3B, '=' as %3D - exactly the RFC 3515 §2.1 example.
        Assert.That("<" + TransferSyntax.WithHeader(target, "Replaces", replaces) + ">", Is.EqualTo(value));
        Assert.That(TransferSyntax.TryGetUri(Encoding.ASCII.GetBytes(value), out string uri), Is.True);
        Assert.That(uri, Is.EqualTo(value[1..^1]));
    }

    [TestCaseSource(nameof(Replaces))]
    public void ReplacesValueParsesPerRfc3891(string[] row)
    {
        bool ok = TransferReplaces.TryParse(Encoding.ASCII.GetBytes(row[0]), out TransferReplaces r);
        Assert.That(ok, Is.EqualTo(row[1] == "valid"));
        if (!ok) return;
        Assert.That(r, Is.EqualTo(new TransferReplaces(row[2], row[3], row[4], row[5] == "yes")));
    }

    [TestCaseSource(nameof(Sipfrag))]
    public void SipfragStatusLineParses(string[] row)
    {
        bool ok = TransferSyntax.TryParseSipfragStatus(Encoding.ASCII.GetBytes(row[0]), out int status, out string reason);
        Assert.That(ok, Is.EqualTo(row[1] == "valid"));
        if (!ok) return;
        Assert.That((status, reason), Is.EqualTo((int.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture), row[3])));
    }
}
