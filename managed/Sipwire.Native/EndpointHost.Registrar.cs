// SPDX-License-Identifier: MIT
// EndpointHost: the optional registrar and redirect server role (RFC 3261 §10.3, §8.3) for small sites and the demo.

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Transactions;

namespace Sipwire.Native;

internal sealed partial class EndpointHost
{
    private static readonly byte[] s_redirectTag = "rd0"u8.ToArray();
    private readonly Dictionary<string, string> _users = new(StringComparer.Ordinal);
    private readonly List<LocationBinding> _lookup = [];
    private SipRegistrar? _registrar;
    private InMemoryLocationService? _location;
    private string? _registrarDomain;
    private byte[]? _responseBuffer;

    /// <summary>Registrations the registrar role accepted (2xx).</summary>
    public int RegistrationsAccepted { get; private set; }

    /// <summary>
    /// Serves REGISTER for <paramref name="domain"/> from an in-memory location service and answers
    /// out-of-dialog INVITEs to its users with 302 and their registered contacts (a redirect server, §8.3).
    /// </summary>
    /// <exception cref="InvalidOperationException">The role already runs.</exception>
    public void StartRegistrar(string domain, bool requireAuthentication)
    {
        if (_registrar is not null) throw new InvalidOperationException("the registrar role already runs on this endpoint");
        _location = new InMemoryLocationService();
        DigestServer? digest = requireAuthentication ? new DigestServer(domain, DigestAlgorithm.Md5, TimeSpan.FromMinutes(5)) : null;
        _registrar = new SipRegistrar(
            new RegistrarOptions { Domains = [domain], RequireAuthentication = requireAuthentication },
            _location,
            digest,
            requireAuthentication ? user => _users.TryGetValue(user, out string? p) ? p : null : null);
        _registrarDomain = domain;
        _responseBuffer = new byte[8192];
        Log(LogLevel.Info, $"registrar for {domain} started ({(requireAuthentication ? "digest required" : "no authentication")})");
    }

    /// <summary>Adds or replaces a user of the registrar role.</summary>
    public void AddRegistrarUser(string user, string password) => _users[user] = password;

    // Returns true when the registrar role took the request.
    private bool OnRegistrarRequest(Transaction transaction, SipMessage request)
    {
        if (_registrar is null || _location is null || _responseBuffer is null) return false;
        long nowMs = _clock.NowMicros / 1000;
        if (request.Method == SipMethod.Register)
        {
            RegistrarResponse r = _registrar.Process(request, transaction.Source, nowMs, DateTime.UtcNow);
            int n = r.Write(request, transaction.Source, _responseBuffer);
            if (n > 0) _layer.Respond(transaction, _responseBuffer.AsSpan(0, n));
            if (r.StatusCode / 100 == 2) RegistrationsAccepted++;
            Log(r.StatusCode / 100 == 2 ? LogLevel.Info : LogLevel.Warning,
                $"registrar: REGISTER {r.AddressOfRecord ?? "?"} from {transaction.Source} -> {r.StatusCode} {r.Reason} ({r.Bindings.Count} binding(s))");
            return true;
        }
        if (request.Method != SipMethod.Invite || request.To.HasTag) return false;
        if (!SipUri.TryParse(request.RequestUri, out SipUri? target) || target is null
            || !string.Equals(target.Host, _registrarDomain, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        _lookup.Clear();
        _location.Lookup(SipRegistrar.Canonical(target), nowMs, _lookup);
        var w = new SipMessageWriter(_responseBuffer);
        if (_lookup.Count == 0)
        {
            // §21.4.18: a known domain, but the user is not registered.
            SipResponses.WriteHead(ref w, request, transaction.Source, 480, "Temporarily Unavailable"u8, s_redirectTag);
            w.End();
        }
        else
        {
            // §8.3 / §21.3.3: a redirect server returns the location service's contacts in a 302.
            SipResponses.WriteHead(ref w, request, transaction.Source, 302, "Moved Temporarily"u8, s_redirectTag);
            foreach (LocationBinding b in _lookup)
            {
                w.Append("Contact: <"u8);
                w.Append(b.Contact);
                w.Append(">\r\n"u8);
            }
            w.End();
        }
        if (!w.Overflowed) _layer.Respond(transaction, w.Written);
        Log(LogLevel.Info, $"registrar: INVITE {target} -> {(_lookup.Count == 0 ? "480" : "302 to " + Encoding.UTF8.GetString(_lookup[0].Contact))}");
        return true;
    }
}
