// Drives a SipRegistrar with text REGISTER requests and parses what it writes back.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Transport;

namespace Sipwire.Tests.Registrar;

internal sealed class RegistrarHarness
{
    public const string Domain = "example.test";
    public static readonly DateTime Epoch = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    public static readonly PeerAddress Source = PeerAddress.FromIPv4(TransportProtocol.Udp, 0xC0000201u, 5062);
    private static readonly Dictionary<string, string> s_passwords = new(StringComparer.Ordinal) { ["alice"] = "wonderland", ["bob"] = "builder" };
    private uint _cseq = 1;

    public RegistrarHarness(bool auth = true, LocationLimits? limits = null, ILocationService? location = null, RegistrarOptions? options = null, string domain = Domain)
    {
        Location = location ?? new InMemoryLocationService(limits);
        Digest = new DigestServer(domain, DigestAlgorithm.Sha256, TimeSpan.FromSeconds(30));
        Registrar = new SipRegistrar(options ?? new RegistrarOptions { Domains = [domain], RequireAuthentication = auth }, Location, Digest, PasswordOf);
    }

    public ILocationService Location { get; }

    public DigestServer Digest { get; }

    public SipRegistrar Registrar { get; }

    public long NowMs { get; set; } = 1_000_000;

    public string CallId { get; set; } = "reg-1@192.0.2.1";

    public static string? PasswordOf(string user) => s_passwords.TryGetValue(user, out string? p) ? p : null;

    public static SipMessage Parse(byte[] bytes)
    {
        var m = new SipMessage();
        SipParseResult r = SipParser.Parse(bytes.AsMemory(), SipFraming.Datagram, m);
        Assert.That(r.Status, Is.EqualTo(SipParseStatus.Done), $"{r.Error} at {r.Position}: {Encoding.UTF8.GetString(bytes)}");
        return m;
    }

    /// <summary>A REGISTER for <paramref name="user"/> with the given extra header lines (Contact, Expires, ...).</summary>
    public byte[] Register(string user, IEnumerable<string> headers, string? authorization = null, uint? cseq = null, string? requestUri = null)
    {
        var b = new StringBuilder();
        b.Append("REGISTER ").Append(requestUri ?? "sip:" + Domain).Append(" SIP/2.0\r\n");
        b.Append("Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK").Append(Guid.NewGuid().ToString("N")).Append(";rport\r\n");
        b.Append("Max-Forwards: 70\r\n");
        b.Append("From: <sip:").Append(user).Append('@').Append(Domain).Append(">;tag=f1\r\n");
        b.Append("To: <sip:").Append(user).Append('@').Append(Domain).Append(">\r\n");
        b.Append("Call-ID: ").Append(CallId).Append("\r\n");
        b.Append("CSeq: ").Append(cseq ?? _cseq++).Append(" REGISTER\r\n");
        foreach (string h in headers) b.Append(h).Append("\r\n");
        if (authorization is not null) b.Append("Authorization: ").Append(authorization).Append("\r\n");
        b.Append("Content-Length: 0\r\n\r\n");
        return Encoding.UTF8.GetBytes(b.ToString());
    }

    public RegistrarResponse Process(byte[] request) => Registrar.Process(Parse(request), Source, NowMs, Epoch);

    /// <summary>Sends the REGISTER, answers the 401 as <paramref name="user"/> would with <paramref name="password"/>, returns the final response.</summary>
    public RegistrarResponse RegisterWithAuth(string user, string password, string[] headers, string? asUser = null)
    {
        string aorUser = asUser ?? user;
        RegistrarResponse first = Process(Register(aorUser, headers));
        Assert.That(first.StatusCode, Is.EqualTo(401));
        string credentials = Answer(first, user, password);
        return Process(Register(aorUser, headers, credentials));
    }

    /// <summary>As <see cref="RegisterWithAuth"/>, for credentials the registrar must refuse; returns the second response.</summary>
    public RegistrarResponse RegisterWithAuthExpectingFailure(string user, string password, string? asUser = null)
    {
        string[] headers = ["Contact: <sip:x@192.0.2.1>"];
        RegistrarResponse first = Process(Register(asUser ?? user, headers));
        return Process(Register(asUser ?? user, headers, Answer(first, user, password)));
    }

    public static string Answer(RegistrarResponse challengeResponse, string user, string password, string requestUri = "sip:" + Domain)
    {
        Assert.That(DigestChallenge.TryParse(challengeResponse.GetHeader("WWW-Authenticate")!, out DigestChallenge? c, out string error), Is.True, error);
        return new DigestClient().Authorize(c!, user, password, "REGISTER", requestUri, default);
    }

    public static SipMessage Written(RegistrarResponse response, byte[] request)
    {
        var buffer = new byte[8192];
        int n = response.Write(Parse(request), Source, buffer);
        Assert.That(n, Is.GreaterThan(0));
        return Parse(buffer.AsSpan(0, n).ToArray());
    }

    public string[] Contacts(string aor = "sip:alice@" + Domain)
    {
        var list = new List<LocationBinding>();
        Location.Lookup(aor, NowMs, list);
        return list.Select(b => b.ContactText).ToArray();
    }
}
