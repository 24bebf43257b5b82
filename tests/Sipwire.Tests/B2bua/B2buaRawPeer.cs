// A scripted SIP peer on the simulated network for B2BUA paths our UA never takes (offerless INVITE and re-INVITE, answers in ACK).
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.Transport;

namespace Sipwire.Tests.B2bua;

/// <summary>
/// Plays one side of a call through the B2BUA by text: it sends exactly the requests a test writes
/// (RFC 3261 messages in full) and reads what arrives. It never retransmits, so its own link is kept
/// loss-free by the tests; the loss is put on the other leg.
/// </summary>
internal sealed class B2buaRawPeer
{
    public const string Offer = "v=0\r\no=- 7 1 IN IP4 10.0.0.3\r\ns=-\r\nc=IN IP4 10.0.0.3\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private readonly SimNetwork _net;
    private readonly BlackHole _hole;
    private int _branch;

    public B2buaRawPeer(SimNetwork net, string address = "10.0.0.3:5060")
    {
        _net = net;
        _hole = new BlackHole(net, address);
    }

    public PeerAddress Address => _hole.Address;

    public string HostPort => Address.ToString()["UDP:".Length..];

    public string LocalTag { get; } = "rawtag7";

    /// <summary>Every message that reached the peer, in order.</summary>
    public string[] Received => _hole.Received.Select(r => r.Packet.Text).ToArray();

    /// <summary>Messages received whose start line begins with <paramref name="start"/>.</summary>
    public string[] ReceivedStarting(string start) => Received.Where(m => m.StartsWith(start, StringComparison.Ordinal)).ToArray();

    /// <summary>Runs the network until <paramref name="done"/> holds or <paramref name="limit"/> passes; returns whether it held.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan limit)
    {
        long end = _net.Clock.NowMicros + limit.Ticks / 10;
        while (!done())
        {
            if (_net.Clock.NowMicros >= end) return false;
            _net.RunFor(TimeSpan.FromMilliseconds(20));
        }
        return true;
    }

    /// <summary>Sends an out-of-dialog INVITE for sip:bob@example.test to <paramref name="to"/>.</summary>
    public void SendInvite(PeerAddress to, string callId, string body, string extra = "") =>
        Send(to, $"INVITE sip:bob@{RegistrarNode.Domain} SIP/2.0\r\nVia: SIP/2.0/UDP {HostPort};branch=z9hG4bKrawi{_branch++}\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:raw@{RegistrarNode.Domain}>;tag={LocalTag}\r\nTo: <sip:bob@{RegistrarNode.Domain}>\r\nCall-ID: {callId}\r\nCSeq: 1 INVITE\r\n" +
            $"Contact: <sip:raw@{HostPort}>\r\n" + extra + BodyLines(body));

    /// <summary>
    /// A request inside the dialog that <paramref name="response"/> (a response we got) or <paramref name="request"/>
    /// (a request we got) established: From/To/Call-ID taken from it, sent to <paramref name="to"/>.
    /// </summary>
    public void SendInDialog(PeerAddress to, string dialogMessage, bool weAreUac, string method, uint cseq, string body = "", string extra = "")
    {
        string from = weAreUac ? CallTestKit.Header(dialogMessage, "From")! : CallTestKit.Header(dialogMessage, "To")! + ";tag=" + LocalTag;
        string toValue = weAreUac ? CallTestKit.Header(dialogMessage, "To")! : CallTestKit.Header(dialogMessage, "From")!;
        string contact = CallTestKit.Header(dialogMessage, "Contact") ?? "<sip:b2bua@10.0.0.9:5060>";
        string target = contact.Trim('<', '>');
        Send(to, $"{method} {target} SIP/2.0\r\nVia: SIP/2.0/UDP {HostPort};branch=z9hG4bKrawd{_branch++}\r\nMax-Forwards: 70\r\n" +
            $"From: {from}\r\nTo: {toValue}\r\nCall-ID: {CallTestKit.Header(dialogMessage, "Call-ID")}\r\nCSeq: {cseq} {method}\r\n" +
            $"Contact: <sip:raw@{HostPort}>\r\n" + extra + BodyLines(body));
    }

    /// <summary>Answers a request we received (copying Via/From/To/Call-ID/CSeq) with our tag and Contact.</summary>
    public void Respond(PeerAddress to, string request, int code, string reason, string body = "", string extra = "", bool contact = true) =>
        Send(to, CallTestKit.Response(request, code, reason, LocalTag, (contact ? $"Contact: <sip:raw@{HostPort}>\r\n" : "") + extra, body));

    public void Send(PeerAddress to, string message) => _net.Send(Address, to, Encoding.UTF8.GetBytes(message));

    /// <summary>The body of a whole message.</summary>
    public static string Body(string message) => message[(message.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];

    /// <summary>The header part of a whole message.</summary>
    public static string Head(string message) => message[..message.IndexOf("\r\n\r\n", StringComparison.Ordinal)];

    private static string BodyLines(string body) =>
        (body.Length > 0 ? "Content-Type: application/sdp\r\n" : "") + $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
}
