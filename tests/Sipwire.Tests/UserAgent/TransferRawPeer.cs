// A hand-written SIP peer on the simulated network for transfer edge cases: sends exact requests, reads the responses.
// SPDX-License-Identifier: MIT

using System;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Tests.Simulation;
using Sipwire.Transport;

namespace Sipwire.Tests.UserAgent;

/// <summary>
/// Plays the far end of a call by text (RFC 3261 messages written out in full), so the tests can
/// send what our own UA never would: malformed Refer-To, Replaces with unknown dialogs, extensions.
/// </summary>
internal sealed class TransferRawPeer
{
    private const string Offer = "v=0\r\no=- 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private readonly SimNetwork _net;
    private readonly BlackHole _hole;
    private int _branch;
    private uint _cseq = 1;
    private int _answered;

    public TransferRawPeer(SimNetwork net, string address = "10.0.0.9:5060")
    {
        _net = net;
        _hole = new BlackHole(net, address);
    }

    public PeerAddress Address => _hole.Address;

    public string CallId { get; private set; } = "";

    public string LocalTag { get; } = "rawtag1";

    public string RemoteTag { get; private set; } = "";

    private string HostPort => Address.ToString()["UDP:".Length..];

    /// <summary>INVITE with an offer to <paramref name="ua"/> (which must answer), then ACK: a confirmed dialog.</summary>
    public void CallInto(UaNode ua, string callId = "raw-call-1@10.0.0.9")
    {
        CallId = callId;
        string response = Invite(ua, "");
        Assert.That(response, Does.StartWith("SIP/2.0 200"), "the UA did not answer the raw INVITE");
        RemoteTag = Header(response, "To").Split(";tag=")[1].Trim();
        string ack = $"ACK sip:{ua.HostPort} SIP/2.0\r\nVia: SIP/2.0/UDP {HostPort};branch=z9hG4bKrawack{_branch++}\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:raw@example.test>;tag={LocalTag}\r\nTo: <sip:{ua.HostPort}>;tag={RemoteTag}\r\nCall-ID: {CallId}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
        _net.Send(Address, ua.Address, Encoding.ASCII.GetBytes(ack));
        _net.RunFor(TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Sends a new INVITE (with <paramref name="extraHeaders"/>) and returns its final response, whole.</summary>
    public string Invite(UaNode ua, string extraHeaders, string? callId = null)
    {
        if (callId is not null) CallId = callId;
        int before = _hole.Received.Count;
        string invite = $"INVITE sip:{ua.HostPort} SIP/2.0\r\nVia: SIP/2.0/UDP {HostPort};branch=z9hG4bKrawinv{_branch++}\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:raw@example.test>;tag={LocalTag}\r\nTo: <sip:{ua.HostPort}>\r\nCall-ID: {CallId}\r\nCSeq: 1 INVITE\r\n" +
            $"Contact: <sip:raw@{HostPort}>\r\n{extraHeaders}Content-Type: application/sdp\r\nContent-Length: {Offer.Length}\r\n\r\n{Offer}";
        _net.Send(Address, ua.Address, Encoding.ASCII.GetBytes(invite));
        _net.RunFor(TimeSpan.FromMilliseconds(200));
        return _hole.Received.Skip(before).Select(r => r.Packet.Text).Last(t => t.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && !t.StartsWith("SIP/2.0 1", StringComparison.Ordinal));
    }

    /// <summary>Sends <paramref name="method"/> inside the dialog of <see cref="CallInto"/> and returns its final response, whole.</summary>
    public string SendInDialog(UaNode ua, string method, string extraHeaders, string contentType = "", string body = "")
    {
        int before = _hole.Received.Count;
        uint cseq = ++_cseq;
        string request = $"{method} sip:{ua.HostPort} SIP/2.0\r\nVia: SIP/2.0/UDP {HostPort};branch=z9hG4bKrawreq{_branch++}\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:raw@example.test>;tag={LocalTag}\r\nTo: <sip:{ua.HostPort}>;tag={RemoteTag}\r\nCall-ID: {CallId}\r\nCSeq: {cseq} {method}\r\n" +
            $"Contact: <sip:raw@{HostPort}>\r\n{extraHeaders}" + (contentType.Length > 0 ? $"Content-Type: {contentType}\r\n" : "") +
            $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
        _net.Send(Address, ua.Address, Encoding.UTF8.GetBytes(request));
        _net.RunFor(TimeSpan.FromMilliseconds(200));
        return _hole.Received.Skip(before).Select(r => r.Packet.Text)
            .Last(t => t.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && Header(t, "CSeq") == $"{cseq} {method}");
    }

    /// <summary>Runs the network for <paramref name="duration"/>, answering every request that reaches this peer with 200 OK.</summary>
    public void RunAnswering(TimeSpan duration)
    {
        long end = _net.Clock.NowMicros + duration.Ticks / 10;
        while (_net.Clock.NowMicros < end)
        {
            _net.RunFor(TimeSpan.FromMilliseconds(50));
            for (; _answered < _hole.Received.Count; _answered++)
            {
                SimPacket p = _hole.Received[_answered].Packet;
                string t = p.Text;
                if (t.StartsWith("SIP/2.0 ", StringComparison.Ordinal) || t.StartsWith("ACK ", StringComparison.Ordinal)) continue;
                string ok = "SIP/2.0 200 OK\r\n" + string.Concat(new[] { "Via", "From", "To", "Call-ID", "CSeq" }.Select(h => $"{h}: {Header(t, h)}\r\n")) + "Content-Length: 0\r\n\r\n";
                _net.Send(Address, p.From, Encoding.ASCII.GetBytes(ok));
            }
        }
    }

    /// <summary>Requests the UA sent to this peer (start lines and all), in arrival order.</summary>
    public string[] RequestsReceived(string method) =>
        _hole.Received.Select(r => r.Packet.Text).Where(t => t.StartsWith(method + " ", StringComparison.Ordinal)).ToArray();

    public static string Header(string message, string name) =>
        message.Split("\r\n").First(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))[(name.Length + 1)..].Trim();

    public static int Status(string response) => int.Parse(response.AsSpan(8, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
}
