// The presence server role (PresenceServer with digest and a registrar) on the simulated network, logging every transaction.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Presence;
using Sipwire.Registrar;
using Sipwire.Tests.Simulation;
using Sipwire.Tests.UserAgent;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Tests.PresenceAgent;

internal sealed class PresenceServerNode
{
    public const string Domain = RegistrarNode.Domain;
    private readonly SimNetwork _net;

    public PresenceServerNode(SimNetwork net, string address, bool authenticate = true, UnknownWatcherPolicy unknown = UnknownWatcherPolicy.Pending)
    {
        _net = net;
        var deferred = new DeferredUser();
        Node = new SimNode(net, address, user: deferred);
        string hostPort = Node.Address.ToString()["UDP:".Length..];
        DigestServer? digest = authenticate ? new DigestServer(Domain, DigestAlgorithm.Md5, TimeSpan.FromMinutes(5)) : null;
        Func<string, string?>? passwordOf = authenticate ? u => Passwords.TryGetValue(u, out string? p) ? p : null : null;
        var registrar = new SipRegistrar(new RegistrarOptions { Domains = [Domain], RequireAuthentication = authenticate }, new InMemoryLocationService(), digest, passwordOf);
        Server = new PresenceServer(Node.Layer, new PresenceServerOptions
        {
            UserAgent = new UserAgentOptions
            {
                LocalUri = $"sip:presence@{Domain}",
                ContactUri = $"sip:presence@{hostPort}",
                LocalSentBy = hostPort,
                MediaAddress = IPAddress.Parse(hostPort.Split(':')[0]),
            },
            Domains = [Domain],
            Digest = digest,
            PasswordOf = passwordOf,
            UnknownWatchers = unknown,
        }, registrar);
        deferred.Target = Server;
        Server.Logged += line => Log.Add(line);
        Node.ExtraDeadline = () => Server.NextDeadline;
        Node.ExtraTimers = Server.ProcessTimers;
    }

    public Dictionary<string, string> Passwords { get; } = new(StringComparer.Ordinal) { ["alice"] = "wonderland", ["bob"] = "builder", ["carol"] = "christmas" };

    public SimNode Node { get; }

    public PeerAddress Address => Node.Address;

    public PresenceServer Server { get; }

    public List<string> Log { get; } = [];

    /// <summary>Status codes the server sent for requests of <paramref name="method"/> (from the network record).</summary>
    public int[] Answers(string method) => _net.Sent
        .Where(p => p.From == Address && p.StartLine.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && CSeqMethod(p.Text) == method)
        .Select(p => int.Parse(p.StartLine.AsSpan(8, 3), System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Sends a raw request from <paramref name="from"/> to the server.</summary>
    public void SendRaw(PeerAddress from, string text)
    {
        // Header lines written with \n get CRLF; the body keeps its bytes (Content-Length counts them).
        int end = text.IndexOf("\n\n", StringComparison.Ordinal);
        string head = end < 0 ? text : text[..(end + 2)];
        string body = end < 0 ? "" : text[(end + 2)..];
        _net.Send(from, Address, Encoding.UTF8.GetBytes(head.ReplaceLineEndings("\r\n") + body));
    }

    /// <summary>The responses the server sent to <paramref name="to"/>.</summary>
    public string[] ResponsesTo(PeerAddress to) => _net.Sent.Where(p => p.From == Address && p.To == to && p.StartLine.StartsWith("SIP/2.0 ", StringComparison.Ordinal)).Select(p => p.Text).ToArray();

    private static string CSeqMethod(string text)
    {
        int i = text.IndexOf("\r\nCSeq:", StringComparison.OrdinalIgnoreCase);
        if (i < 0) return "";
        string line = text[(i + 7)..text.IndexOf('\r', i + 2)].Trim();
        return line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim();
    }
}
