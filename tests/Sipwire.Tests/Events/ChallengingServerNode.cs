// A server on the simulated network that demands digest credentials (401 or 407) before a handler answers.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Auth;
using Sipwire.Sip;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Tests.Events;

/// <summary>
/// Checks each request's credentials with the real <see cref="DigestServer"/> (RFC 7616) and
/// answers a challenge when they are missing or wrong; authenticated requests go to <see cref="Handler"/>,
/// which writes the response into the buffer and returns its length.
/// </summary>
internal sealed class ChallengingServerNode : ITransactionUser
{
    private readonly byte[] _buffer = new byte[8192];
    private readonly SimNetwork _net;

    public ChallengingServerNode(SimNetwork net, string address, bool proxyAuth = false)
    {
        _net = net;
        ProxyAuth = proxyAuth;
        Node = new SimNode(net, address, user: this);
        Digest = new DigestServer(RegistrarNode.Domain, DigestAlgorithm.Sha256, TimeSpan.FromSeconds(30));
    }

    public bool ProxyAuth { get; }

    public SimNode Node { get; }

    public PeerAddress Address => Node.Address;

    public DigestServer Digest { get; }

    public Dictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal) { ["alice"] = "wonderland" };

    /// <summary>Authenticated requests (full text) in arrival order.</summary>
    public List<string> Accepted { get; } = [];

    /// <summary>Challenges sent.</summary>
    public int Challenges { get; private set; }

    /// <summary>Writes the response to an authenticated request; by default 200 OK.</summary>
    public Func<SipMessage, Transaction, byte[], int>? Handler { get; set; }

    public void OnRequest(Transaction transaction, SipMessage request)
    {
        long nowMs = _net.Clock.NowMicros / 1000;
        SipHeaderKind kind = ProxyAuth ? SipHeaderKind.ProxyAuthorization : SipHeaderKind.Authorization;
        DigestVerdict verdict = DigestVerdict.Malformed;
        if (request.TryGetHeaderValue(kind, out ReadOnlySpan<byte> credentials))
        {
            verdict = Digest.Verify(SipMessage.ToText(credentials), SipMessage.ToText(request.MethodName), SipMessage.ToText(request.RequestUri),
                request.Body, u => Passwords.TryGetValue(u, out string? p) ? p : null, nowMs, out _);
        }
        if (verdict != DigestVerdict.Ok)
        {
            Challenges++;
            var w = new SipMessageWriter(_buffer);
            SipResponses.WriteHead(ref w, request, transaction.Source, ProxyAuth ? 407 : 401,
                ProxyAuth ? "Proxy Authentication Required"u8 : "Unauthorized"u8, "srv1"u8);
            w.Append(ProxyAuth ? "Proxy-Authenticate: "u8 : "WWW-Authenticate: "u8);
            w.AppendText(Digest.CreateChallenge(nowMs, stale: verdict == DigestVerdict.StaleNonce).ToString());
            w.Append("\r\n"u8);
            w.End();
            Node.Layer.Respond(transaction, w.Written);
            return;
        }
        Accepted.Add(SipMessage.ToText(request.Span));
        if (Handler is not null)
        {
            int n = Handler(request, transaction, _buffer);
            Node.Layer.Respond(transaction, _buffer.AsSpan(0, n));
            return;
        }
        Node.Layer.Respond(transaction, 200, "OK"u8, Encoding.ASCII.GetBytes("srv1"));
    }

    public void OnAck(Transaction? transaction, SipMessage ack, in PeerAddress source)
    {
    }

    public void OnCancel(Transaction invite, SipMessage cancel)
    {
    }

    public void OnResponse(Transaction transaction, SipMessage response)
    {
    }

    public void OnStrayResponse(SipMessage response, in PeerAddress source)
    {
    }

    public void OnError(Transaction transaction, TransactionError failure)
    {
    }

    public void OnTerminated(Transaction transaction)
    {
    }
}
