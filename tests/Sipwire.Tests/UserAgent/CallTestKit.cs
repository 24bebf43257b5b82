// Helpers for the call feature tests: UA pairs with options, packet filters and raw messages from a scripted peer.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using Sipwire.Tests.Simulation;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Tests.UserAgent;

internal static class CallTestKit
{
    public const string Offer = "v=0\r\no=- 1 1 IN IP4 10.0.0.3\r\ns=-\r\nc=IN IP4 10.0.0.3\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    public static (SimNetwork Net, UaNode Alice, UaNode Bob) Pair(int seed, double loss = 0,
        Func<UserAgentOptions, UserAgentOptions>? alice = null, Func<UserAgentOptions, UserAgentOptions>? bob = null)
    {
        var net = new SimNetwork(seed) { DefaultLink = new LinkConditions { Loss = loss, Delay = TimeSpan.FromMilliseconds(10) } };
        return (net, new UaNode(net, "10.0.0.1:5060", "alice", alice), new UaNode(net, "10.0.0.2:5060", "bob", bob));
    }

    /// <summary>Packets sent from <paramref name="from"/> whose start line begins with <paramref name="start"/>.</summary>
    public static SimPacket[] Sent(SimNetwork net, PeerAddress from, string start) =>
        net.Sent.Where(p => p.From.Equals(from) && p.StartLine.StartsWith(start, StringComparison.Ordinal)).ToArray();

    /// <summary>The value of the first header line named <paramref name="name"/>, or null.</summary>
    public static string? Header(string message, string name)
    {
        foreach (string line in message.Split("\r\n"))
        {
            if (line.Length == 0) break;
            if (line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)) return line[(name.Length + 1)..].Trim();
        }
        return null;
    }

    public static string Log(UaNode node) => string.Join("\n", node.CallEvents.Select(e => $"{e.At / 1000} ms {e.Event}"));

    /// <summary>A response to <paramref name="request"/> (Via, From, To with <paramref name="toTag"/>, Call-ID, CSeq copied).</summary>
    public static string Response(string request, int code, string reason, string toTag, string extra = "", string body = "")
    {
        string to = Header(request, "To")!;
        if (!to.Contains(";tag=", StringComparison.Ordinal)) to += ";tag=" + toTag;
        var sb = new StringBuilder();
        sb.Append($"SIP/2.0 {code} {reason}\r\n");
        foreach (string line in request.Split("\r\n").TakeWhile(l => l.Length > 0).Where(l => l.StartsWith("Via:", StringComparison.Ordinal))) sb.Append(line).Append("\r\n");
        sb.Append($"From: {Header(request, "From")}\r\nTo: {to}\r\nCall-ID: {Header(request, "Call-ID")}\r\nCSeq: {Header(request, "CSeq")}\r\n");
        sb.Append(extra);
        if (body.Length > 0) sb.Append("Content-Type: application/sdp\r\n");
        sb.Append($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");
        return sb.ToString();
    }

    /// <summary>An INVITE from a scripted peer at 10.0.0.3 to <paramref name="to"/>.</summary>
    public static string Invite(UaNode to, string callId, string extra, string body = Offer, string branch = "z9hG4bKraw1", int cseq = 1) =>
        $"INVITE sip:bob@{to.HostPort} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.3:5060;branch={branch}\r\nMax-Forwards: 70\r\n" +
        $"From: <sip:raw@test>;tag=raw1\r\nTo: <sip:bob@test>\r\nCall-ID: {callId}\r\nCSeq: {cseq} INVITE\r\nContact: <sip:raw@10.0.0.3:5060>\r\n" +
        extra + (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    /// <summary>An in-dialog request from the scripted peer (From tag raw1) to the dialog <paramref name="toTag"/> created.</summary>
    public static string InDialog(UaNode to, string method, string callId, string toTag, int cseq, string extra, string body = "", string branch = "z9hG4bKraw2") =>
        $"{method} sip:bob@{to.HostPort} SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.3:5060;branch={branch}\r\nMax-Forwards: 70\r\n" +
        $"From: <sip:raw@test>;tag=raw1\r\nTo: <sip:bob@test>;tag={toTag}\r\nCall-ID: {callId}\r\nCSeq: {cseq} {method}\r\nContact: <sip:raw@10.0.0.3:5060>\r\n" +
        extra + (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    /// <summary>The tag parameter of a To header value.</summary>
    public static string ToTag(string message)
    {
        string to = Header(message, "To")!;
        int i = to.IndexOf(";tag=", StringComparison.Ordinal);
        return i < 0 ? "" : to[(i + 5)..].Split(';')[0];
    }

    public static void Send(SimNetwork net, BlackHole from, UaNode to, string message) => net.Send(from.Address, to.Address, Encoding.UTF8.GetBytes(message));
}
