// A stateless record-routing proxy on the simulated network that challenges chosen methods with 401/407 (RFC 3261 §16.11, §22.3).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Sipwire.Auth;
using Sipwire.Tests.Simulation;
using Sipwire.Transport;

namespace Sipwire.Tests.UserAgent;

/// <summary>
/// Forwards requests by their Route / Request-URI and responses by their second Via, inserting
/// Record-Route on dialog-creating INVITEs so that the dialog's later requests pass it too. Requests
/// from <see cref="ChallengedSource"/> whose method is in <see cref="ChallengeStatus"/> must carry valid
/// digest credentials (checked with the real <see cref="DigestServer"/>) or get the challenge.
/// </summary>
internal sealed class CallAuthProxyNode : ISimHost
{
    private const string ChallengeTag = "authproxy";
    private readonly SimNetwork _net;
    private readonly HashSet<string> _authorizedBranches = new(StringComparer.Ordinal);

    public CallAuthProxyNode(SimNetwork net, string address, TimeSpan nonceLifetime)
    {
        _net = net;
        Address = PeerAddress.Parse(TransportProtocol.Udp, address);
        Digest = new DigestServer(RegistrarNode.Domain, DigestAlgorithm.Sha256, nonceLifetime);
        net.Attach(this);
    }

    public PeerAddress Address { get; }

    public string HostPort => Address.ToString()["UDP:".Length..];

    public DigestServer Digest { get; }

    public Dictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal) { ["alice"] = "wonderland" };

    /// <summary>Method → 401 or 407 for the methods that need credentials.</summary>
    public Dictionary<string, int> ChallengeStatus { get; } = new(StringComparer.Ordinal);

    /// <summary>Only requests from here are challenged (the callee's own requests pass).</summary>
    public PeerAddress ChallengedSource { get; set; }

    /// <summary>Challenges sent: method, status, stale, the verdict that caused it.</summary>
    public List<(string Method, int Status, bool Stale, DigestVerdict Verdict)> Challenges { get; } = [];

    /// <summary>
    /// A strict outbound proxy: an out-of-dialog request (To without tag) whose top Route does not name
    /// this proxy gets 403 instead of being forwarded (RFC 3261 §8.1.2: a UA's requests through its
    /// outbound proxy carry the proxy's Route).
    /// </summary>
    public bool RequireOwnRoute { get; set; }

    /// <summary>Host names the proxy resolves (a DNS stand-in): "example.test" → "10.0.0.5:5060".</summary>
    public Dictionary<string, string> Hosts { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Requests refused with 403 for a missing Route (as received).</summary>
    public List<string> RefusedForRoute { get; } = [];

    /// <summary>Requests forwarded (as received).</summary>
    public List<string> Forwarded { get; } = [];

    public long NextDeadline => long.MaxValue;

    public void ProcessTimers()
    {
    }

    public void Deliver(byte[] data, PeerAddress from)
    {
        string m = Encoding.UTF8.GetString(data);
        int headEnd = m.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string[] head = m[..headEnd].Split("\r\n");
        string body = m[(headEnd + 4)..];
        if (m.StartsWith("SIP/2.0 ", StringComparison.Ordinal))
        {
            // §16.7 step 3: drop our Via, send to the next one.
            var lines = head.ToList();
            lines.RemoveAt(lines.FindIndex(l => l.StartsWith("Via:", StringComparison.Ordinal)));
            string via = lines.First(l => l.StartsWith("Via:", StringComparison.Ordinal));
            string sentBy = via.Split(' ')[2].Split(';')[0];
            Send(string.Join("\r\n", lines) + "\r\n\r\n" + body, sentBy);
            return;
        }
        string method = head[0].Split(' ')[0];
        string requestUri = head[0].Split(' ')[1];
        if (method == "ACK" && CallTestKit.ToTag(m) == ChallengeTag) return; // the ACK of our own challenge (§17.2.1)
        string ourRoute = $"Route: <sip:{HostPort};lr>";
        if (RequireOwnRoute && CallTestKit.ToTag(m).Length == 0 && head.FirstOrDefault(l => l.StartsWith("Route:", StringComparison.Ordinal)) != ourRoute)
        {
            RefusedForRoute.Add(m);
            _net.Send(Address, from, Encoding.UTF8.GetBytes(CallTestKit.Response(m, 403, "Forbidden (no Route to this proxy)", ChallengeTag)));
            return;
        }
        if (from.Equals(ChallengedSource) && ChallengeStatus.TryGetValue(method, out int status) && !Authorized(m, method, requestUri, body, status, out DigestVerdict verdict))
        {
            bool stale = verdict == DigestVerdict.StaleNonce;
            Challenges.Add((method, status, stale, verdict));
            string challenge = Digest.CreateChallenge(_net.Clock.NowMicros / 1000, stale).ToString();
            string extra = (status == 407 ? "Proxy-Authenticate: " : "WWW-Authenticate: ") + challenge + "\r\n";
            string response = CallTestKit.Response(m, status, status == 407 ? "Proxy Authentication Required" : "Unauthorized", ChallengeTag, extra);
            _net.Send(Address, from, Encoding.UTF8.GetBytes(response));
            return;
        }
        Forwarded.Add(m);
        var outLines = new List<string> { head[0] };
        string? nextHop = null;
        bool routePopped = false;
        foreach (string l in head.Skip(1))
        {
            // §16.4: a Route naming us is removed; the next Route (if any) is the next hop.
            if (!routePopped && l == ourRoute)
            {
                routePopped = true;
                continue;
            }
            if (nextHop is null && l.StartsWith("Route:", StringComparison.Ordinal)) nextHop = l.Split('<', '>')[1];
            outLines.Add(l);
        }
        // §16.6 step 8: our Via on top, the branch derived from the incoming one (stateless, §16.11).
        string inBranch = head.First(l => l.StartsWith("Via:", StringComparison.Ordinal)).Split("branch=")[1].Split(';')[0];
        outLines.Insert(1, $"Via: SIP/2.0/UDP {HostPort};branch=z9hG4bKap{inBranch[7..]}");
        if (method == "INVITE" && CallTestKit.ToTag(m).Length == 0) outLines.Insert(2, $"Record-Route: <sip:{HostPort};lr>");
        string target = nextHop ?? requestUri;
        string hostPort = target[(target.IndexOf('@') + 1)..].Replace("sip:", "", StringComparison.Ordinal).Split(';')[0];
        if (Hosts.TryGetValue(hostPort, out string? resolved)) hostPort = resolved;
        Send(string.Join("\r\n", outLines) + "\r\n\r\n" + body, hostPort);
    }

    private bool Authorized(string m, string method, string requestUri, string body, int status, out DigestVerdict verdict)
    {
        verdict = DigestVerdict.Malformed;
        // A retransmission of a request already accepted passes (the nonce count check would call it a replay).
        string branch = CallTestKit.Header(m, "Via")!.Split("branch=")[1].Split(';')[0];
        if (_authorizedBranches.Contains(branch)) return true;
        string? credentials = CallTestKit.Header(m, status == 407 ? "Proxy-Authorization" : "Authorization");
        if (credentials is null) return false;
        verdict = Digest.Verify(credentials, method, requestUri, Encoding.UTF8.GetBytes(body),
            u => Passwords.TryGetValue(u, out string? p) ? p : null, _net.Clock.NowMicros / 1000, out _);
        if (verdict != DigestVerdict.Ok) return false;
        _authorizedBranches.Add(branch);
        return true;
    }

    private void Send(string message, string hostPort) =>
        _net.Send(Address, PeerAddress.Parse(TransportProtocol.Udp, hostPort), Encoding.UTF8.GetBytes(message));
}
