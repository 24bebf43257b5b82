// A sans-IO SIP registrar: RFC 3261 §10.3 step by step, with Path (RFC 3327), public and temporary GRUUs (RFC 5627) and digest authentication.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Security;
using Sipwire.Sip;
using Sipwire.Sip.Headers;
using Sipwire.Transport;

namespace Sipwire.Registrar;

/// <summary>
/// Takes a parsed REGISTER, where it came from and the current time, and returns the response to send;
/// bindings go to an <see cref="ILocationService"/>. No sockets, no clock: the server layer supplies both.
/// Not thread-safe (the digest server's nonce table is not): one endpoint thread drives it.
/// </summary>
public sealed class SipRegistrar
{
    // RFC 3261 §10.3 step 7: 423 only for intervals below one hour.
    private const int OneHourSeconds = 3600;
    private static readonly string[] s_supported = ["path", "gruu"];
    private readonly RegistrarOptions _options;
    private readonly ILocationService _location;
    private readonly DigestServer? _digest;
    private readonly Func<string, string?>? _passwordOf;

    /// <summary>Creates a registrar.</summary>
    /// <param name="options">Domains, authentication and expiry bounds.</param>
    /// <param name="location">Where bindings are kept.</param>
    /// <param name="digest">The digest server (its realm is challenged); required when authentication is on.</param>
    /// <param name="passwordOf">Password of a user name, null for unknown users; required when authentication is on.</param>
    public SipRegistrar(RegistrarOptions options, ILocationService location, DigestServer? digest = null, Func<string, string?>? passwordOf = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(location);
        options.Validate();
        if (options.RequireAuthentication && (digest is null || passwordOf is null))
        {
            throw new ArgumentException("Authentication is required by default: pass a DigestServer and a password lookup, or set RequireAuthentication = false.", nameof(digest));
        }
        _options = options;
        _location = location;
        _digest = digest;
        _passwordOf = passwordOf;
        TemporaryGruu temporary = options.GruuSecret is null ? TemporaryGruu.WithRandomSecret() : new TemporaryGruu(options.GruuSecret);
        Gruus = new GruuResolver(temporary);
    }

    /// <summary>
    /// Resolves this registrar's GRUUs (RFC 5627 §6.1) for a proxy, redirect server or B2BUA that shares its location
    /// service; it holds the temp-gruu secret.
    /// </summary>
    public GruuResolver Gruus { get; }

    /// <summary>The option tags this registrar supports (Supported in every response; Require checked against it).</summary>
    public static IReadOnlyList<string> SupportedOptionTags => s_supported;

    /// <summary>Processes one REGISTER.</summary>
    /// <param name="request">The parsed request.</param>
    /// <param name="source">Where it came from (stored with the binding; the response's Via gets received/rport from it).</param>
    /// <param name="nowMs">Milliseconds on the location service's clock (and the digest server's).</param>
    /// <param name="utcNow">Wall-clock time for the Date header of the 200 (§10.3 step 8).</param>
    public RegistrarResponse Process(SipMessage request, in PeerAddress source, long nowMs, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(request);
        string toTag = NewTag();
        if (!request.IsRequest || request.Method != SipMethod.Register)
        {
            return new RegistrarResponse(405, "Method Not Allowed", toTag).With("Allow", "REGISTER");
        }

        // RFC 3261 §10.2 / RFC 4475 §3.3.4: the To field of a REGISTER is the address-of-record, a SIP or SIPS
        // URI. Anything else (isbn:, http:, tel:) is a malformed registration: 400 before anything else.
        SipParseError e = SipRequestChecks.CheckAddressOfRecord(request);
        if (e != SipParseError.None) return Reject(e, toTag);
        if (!SipNameAddressHeader.TryParse(request.To.Value, out SipNameAddressHeader? to) || to!.Uri is null)
        {
            return Reject(SipParseError.BadTo, toTag);
        }
        SipUri aorUri = to.Uri;

        // Step 1: the Request-URI names the domain whose bindings are changed.
        e = SipRequestChecks.CheckRequestUriScheme(request);
        if (e != SipParseError.None) return Reject(e, toTag);
        if (!SipUri.TryParse(request.RequestUri, out SipUri? requestUri)) return Reject(SipParseError.BadRequestUri, toTag);
        if (!Serves(requestUri!.Host))
        {
            return new RegistrarResponse(404, "Not Found - Domain Not Served Here", toTag) { NotForThisDomain = true };
        }

        // Step 2: Require as a UAS does (§8.2.2.3): 420 listing every option tag we do not support.
        var tags = new List<string>();
        if (!SipTypedHeaders.TryGetTokens(request, SipHeaderKind.Require, tags)) return Reject(SipParseError.BadHeaderValue, toTag);
        string? unsupported = null;
        foreach (string tag in tags)
        {
            if (!Contains(s_supported, tag)) unsupported = unsupported is null ? tag : unsupported + ", " + tag;
        }
        if (unsupported is not null)
        {
            return new RegistrarResponse(420, "Bad Extension", toTag).With("Unsupported", unsupported);
        }

        string aor = Canonical(aorUri);

        // Step 3: authenticate.
        string? user = null;
        DigestVerdict? verdict = null;
        if (_options.RequireAuthentication)
        {
            RegistrarResponse? challenge = Authenticate(request, nowMs, toTag, out user, out verdict);
            if (challenge is not null)
            {
                challenge.AddressOfRecord = aor;
                return challenge;
            }
        }

        // Step 4: authorize - the authenticated user must own the address-of-record, or anybody could
        // redirect anybody's calls with their own valid credentials (§26.1.1).
        if (user is not null && !(_options.Authorize?.Invoke(user, aor) ?? OwnsByUserPart(user, aorUri)))
        {
            return new RegistrarResponse(403, $"Forbidden - {user} May Not Register {aor}", toTag) { User = user, Verdict = verdict, AddressOfRecord = aor };
        }

        // Step 5: the address-of-record must belong to the Request-URI's domain and exist.
        if (!string.Equals(aorUri.Host, requestUri.Host, StringComparison.OrdinalIgnoreCase)
            || !(_options.AddressOfRecordExists?.Invoke(aor) ?? true))
        {
            return new RegistrarResponse(404, "Not Found - Unknown Address-of-Record", toTag) { User = user, Verdict = verdict, AddressOfRecord = aor };
        }

        RegistrarResponse response = ProcessContacts(request, source, nowMs, utcNow, toTag, aor, aorUri);
        response.User = user;
        response.Verdict = verdict;
        response.AddressOfRecord = aor;
        return response;
    }

    private RegistrarResponse ProcessContacts(SipMessage request, in PeerAddress source, long nowMs, DateTime utcNow, string toTag, string aor, SipUri aorUri)
    {
        var contacts = new List<SipNameAddressHeader>();
        if (!SipTypedHeaders.TryGetNameAddresses(request, SipHeaderKind.Contact, contacts)) return Reject(SipParseError.BadContact, toTag);
        var supported = new List<string>();
        if (!SipTypedHeaders.TryGetTokens(request, SipHeaderKind.Supported, supported)) return Reject(SipParseError.BadHeaderValue, toTag);
        bool uaPath = Contains(supported, "path");
        bool uaGruu = Contains(supported, "gruu");
        ReadOnlySpan<byte> callId = request.CallId;
        uint cseq = request.CSeqNumber;
        var current = new List<LocationBinding>();

        if (contacts.Count == 0)
        {
            // §10.2.3 / §10.3 step 8: no Contact is a query; answer with the current bindings.
            _location.Lookup(aor, nowMs, current);
            return Ok(toTag, current, nowMs, utcNow, aor, aorUri, uaGruu, uaPath ? PathOf(request) : null);
        }

        // Step 6: "*" only alone and with Expires: 0.
        bool star = false;
        foreach (SipNameAddressHeader c in contacts) star |= c.IsStar;
        if (star)
        {
            if (contacts.Count != 1 || request.Expires != 0)
            {
                return new RegistrarResponse(400, "Bad Request - Contact * Needs Expires: 0 And No Other Contact", toTag);
            }
            return Store(aor, [], true, callId, cseq, nowMs, utcNow, toTag, aorUri, uaGruu, null);
        }

        int limit = _location.Limits.MaxBindingsPerAddressOfRecord;
        if (contacts.Count > limit)
        {
            return TooManyContacts(toTag, limit);
        }

        string? path = PathOf(request, out bool badPath);
        if (badPath) return Reject(SipParseError.BadRoute, toTag, "Bad Request - Malformed Path");
        byte[] pathBytes = path is null ? [] : Encoding.UTF8.GetBytes(path);
        byte[] received = Encoding.ASCII.GetBytes(Describe(source));

        // Step 7: one binding per Contact; all checks first, so a rejection changes nothing.
        var changes = new LocationBinding[contacts.Count];
        for (int i = 0; i < contacts.Count; i++)
        {
            SipNameAddressHeader c = contacts[i];
            long seconds;
            string? expiresParam = c.GetParameter("expires");
            if (expiresParam is not null)
            {
                if (!TryDeltaSeconds(expiresParam, out seconds)) return new RegistrarResponse(400, "Bad Request - Malformed Contact expires", toTag);
            }
            else
            {
                // The parser turns a malformed Expires header into 3600 (§20.19) and an absent one into -1.
                seconds = request.Expires >= 0 ? request.Expires : _options.DefaultExpires;
            }
            if (seconds > 0 && seconds < OneHourSeconds && seconds < _options.MinExpires)
            {
                return new RegistrarResponse(423, "Interval Too Brief", toTag).With("Min-Expires", _options.MinExpires.ToString(CultureInfo.InvariantCulture));
            }
            seconds = Math.Min(seconds, _options.MaxExpires);

            int q = -1;
            if (HasParameter(c, "q"))
            {
                if (c.QMillis is not int qm) return new RegistrarResponse(400, "Bad Request - Malformed Contact q", toTag);
                q = qm;
            }
            string? instance = c.GetParameter("+sip.instance");
            int regId = -1;
            if (c.GetParameter("reg-id") is string rid)
            {
                // RFC 5626 §4.2: reg-id = 1*DIGIT, 1 to 2^31-1; §6: ignored without +sip.instance.
                if (!int.TryParse(rid, NumberStyles.None, CultureInfo.InvariantCulture, out regId) || regId < 1)
                {
                    return new RegistrarResponse(400, "Bad Request - Malformed Contact reg-id", toTag);
                }
                if (instance is null) regId = -1;
            }
            changes[i] = new LocationBinding(Encoding.UTF8.GetBytes(c.Uri!.ToString()), Encoding.UTF8.GetBytes(ParametersWithoutExpires(c)),
                callId, cseq, q, nowMs + seconds * 1000, pathBytes, instance is null ? [] : Encoding.UTF8.GetBytes(instance), regId, received);
        }
        return Store(aor, changes, false, callId, cseq, nowMs, utcNow, toTag, aorUri, uaGruu, uaPath ? path : null);
    }

    private RegistrarResponse Store(string aor, LocationBinding[] changes, bool removeAll, ReadOnlySpan<byte> callId, uint cseq,
        long nowMs, DateTime utcNow, string toTag, SipUri aorUri, bool uaGruu, string? echoPath)
    {
        var current = new List<LocationBinding>();
        LocationUpdateStatus status = _location.Update(aor, changes, removeAll, callId, cseq, nowMs, current);
        return status switch
        {
            LocationUpdateStatus.Ok => Ok(toTag, current, nowMs, utcNow, aor, aorUri, uaGruu, echoPath),
            // §10.3 steps 6-7 say only that "the update MUST be aborted and the request fails"; a stale or
            // reordered REGISTER is the server refusing to act on it now, so 500 with the reason spelled out.
            LocationUpdateStatus.OutOfOrder => new RegistrarResponse(500, "Server Internal Error - Out Of Order REGISTER (CSeq Not Higher Than Stored For This Call-ID)", toTag),
            LocationUpdateStatus.TooManyBindings => TooManyContacts(toTag, _location.Limits.MaxBindingsPerAddressOfRecord),
            LocationUpdateStatus.TableFull => new RegistrarResponse(503, "Service Unavailable - Registration Table Full", toTag)
                .With("Retry-After", _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)),
            _ => new RegistrarResponse(503, "Service Unavailable - Location Service Unavailable", toTag)
                .With("Retry-After", _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)),
        };
    }

    private static RegistrarResponse TooManyContacts(string toTag, int limit) =>
        new(403, $"Forbidden - Too Many Contacts (At Most {limit} Per Address-of-Record)", toTag);

    // Step 8: 200 with every current binding and its remaining interval, and a Date.
    private RegistrarResponse Ok(string toTag, List<LocationBinding> current, long nowMs, DateTime utcNow, string aor, SipUri aorUri, bool uaGruu, string? echoPath)
    {
        var r = new RegistrarResponse(200, "OK", toTag) { Bindings = current };
        foreach (LocationBinding b in current)
        {
            var v = new StringBuilder(96);
            v.Append('<').Append(Encoding.UTF8.GetString(b.Contact)).Append(">;expires=").Append(b.SecondsLeft(nowMs).ToString(CultureInfo.InvariantCulture));
            v.Append(Encoding.UTF8.GetString(b.ContactParameters));
            if (uaGruu && !b.InstanceId.IsEmpty)
            {
                // RFC 5627 §5.1 / §3.1: the public GRUU is the AoR with a "gr" parameter carrying the instance ID
                // without its angle brackets.
                v.Append(";pub-gruu=").Append(SipNameAddressHeader.Quote(PublicGruu(aorUri, b.InstanceId)));
                // RFC 5627 §5.2: and a temp-gruu, a new one for every REGISTER (§3.2), bound to the Call-ID the binding
                // was registered with so that all of them stop working when the UA registers with another Call-ID.
                if (Gruus.Temporary.CreateUser(aor, b.InstanceId, b.CallId) is string user)
                {
                    v.Append(";temp-gruu=").Append(SipNameAddressHeader.Quote(TemporaryGruuUri(aorUri, user)));
                }
            }
            r.With("Contact", v.ToString());
        }
        if (echoPath is not null) r.With("Path", echoPath);
        Span<byte> date = stackalloc byte[32];
        int n = SipDate.Format(utcNow, date);
        r.With("Date", Encoding.ASCII.GetString(date[..n]));
        r.With("Supported", string.Join(", ", s_supported));
        return r;
    }

    private RegistrarResponse? Authenticate(SipMessage request, long nowMs, string toTag, out string? user, out DigestVerdict? verdict)
    {
        user = null;
        verdict = null;
        string requestUri = Encoding.UTF8.GetString(request.RequestUri);
        for (int h = request.IndexOfHeader(SipHeaderKind.Authorization); h >= 0; h = request.IndexOfHeader(SipHeaderKind.Authorization, h + 1))
        {
            string value = Encoding.UTF8.GetString(request.GetHeaderValue(h));
            // RFC 4475 §3.3.7: credentials of an unknown scheme are ignored; the client gets a Digest challenge.
            if (!value.TrimStart().StartsWith("Digest", StringComparison.OrdinalIgnoreCase)) continue;
            DigestVerdict v = _digest!.Verify(value, "REGISTER", requestUri, request.Body, _passwordOf!, nowMs, out string? who);
            // §22.3: one Authorization per realm; credentials for other realms are not ours to judge.
            if (v == DigestVerdict.WrongRealm) continue;
            verdict = v;
            if (v == DigestVerdict.Ok)
            {
                user = who;
                return null;
            }
            break;
        }
        // RFC 7616 §3.3: stale=true only when the response was right but the nonce too old; a replayed
        // nonce count (RFC 7616 §3.4) or wrong credentials get a fresh challenge without it.
        DigestChallenge challenge = _digest!.CreateChallenge(nowMs, stale: verdict == DigestVerdict.StaleNonce);
        return new RegistrarResponse(401, "Unauthorized", toTag) { Verdict = verdict }.With("WWW-Authenticate", challenge.ToString());
    }

    private bool Serves(string host)
    {
        foreach (string d in _options.Domains)
        {
            if (string.Equals(d, host, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>
    /// RFC 3261 §10.3 step 5: the canonical address-of-record - URI parameters (user-param included) and
    /// headers removed, escapes resolved, the host lowercased (hosts compare case-insensitively, §19.1.4).
    /// </summary>
    public static string Canonical(SipUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var b = new StringBuilder(48);
        b.Append(uri.Scheme == SipUriScheme.Sips ? "sips:" : "sip:");
        if (uri.User is not null) b.Append(SipUri.Unescape(uri.User)).Append('@');
        b.Append(uri.Host.ToLowerInvariant());
        if (uri.Port >= 0) b.Append(':').Append(uri.Port.ToString(CultureInfo.InvariantCulture));
        return b.ToString();
    }

    private static bool OwnsByUserPart(string user, SipUri aorUri) =>
        aorUri.User is not null && string.Equals(SipUri.Unescape(aorUri.User), user, StringComparison.Ordinal);

    private static string PublicGruu(SipUri aorUri, ReadOnlySpan<byte> instanceId)
    {
        string instance = Encoding.UTF8.GetString(instanceId.Trim("<>"u8));
        var b = new StringBuilder(80);
        b.Append(aorUri.Scheme == SipUriScheme.Sips ? "sips:" : "sip:");
        if (aorUri.User is not null) b.Append(aorUri.User).Append('@');
        b.Append(aorUri.Host);
        if (aorUri.Port >= 0) b.Append(':').Append(aorUri.Port.ToString(CultureInfo.InvariantCulture));
        b.Append(";gr=").Append(instance);
        return b.ToString();
    }

    // §3.1.2: the temp-gruu lives in the AoR's domain and carries "gr" without a value.
    private static string TemporaryGruuUri(SipUri aorUri, string user)
    {
        var b = new StringBuilder(user.Length + aorUri.Host.Length + 16);
        b.Append(aorUri.Scheme == SipUriScheme.Sips ? "sips:" : "sip:").Append(user).Append('@').Append(aorUri.Host);
        if (aorUri.Port >= 0) b.Append(':').Append(aorUri.Port.ToString(CultureInfo.InvariantCulture));
        return b.Append(";gr").ToString();
    }

    private static string? PathOf(SipMessage request) => PathOf(request, out _);

    // RFC 3327 §5.3: the registrar stores the Path values with the binding, in order, and returns them in
    // the 200 when the UA said Supported: path. Values are re-serialized so no folding is stored.
    private static string? PathOf(SipMessage request, out bool malformed)
    {
        malformed = false;
        if (request.IndexOfHeader(SipHeaderKind.Path) < 0) return null;
        var entries = new List<SipNameAddressHeader>();
        if (!SipTypedHeaders.TryGetNameAddresses(request, SipHeaderKind.Path, entries) || entries.Count == 0)
        {
            malformed = true;
            return null;
        }
        var b = new StringBuilder();
        foreach (SipNameAddressHeader p in entries)
        {
            if (b.Length > 0) b.Append(", ");
            b.Append(p.ToString());
        }
        return b.ToString();
    }

    private static string ParametersWithoutExpires(SipNameAddressHeader c)
    {
        var b = new StringBuilder();
        foreach (SipHeaderParameter p in c.Parameters)
        {
            // expires is written by the registrar itself with the granted interval (§10.3 step 8).
            if (string.Equals(p.Name, "expires", StringComparison.OrdinalIgnoreCase)) continue;
            b.Append(';').Append(p.Name);
            if (p.Value is not null) b.Append('=').Append(p.Quoted ? SipNameAddressHeader.Quote(p.Value) : p.Value);
        }
        return b.ToString();
    }

    private static bool HasParameter(SipNameAddressHeader c, string name)
    {
        foreach (SipHeaderParameter p in c.Parameters)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    // delta-seconds = 1*DIGIT (§25.1); values beyond 2^32-1 count as 2^32-1 (§20.19 for Expires).
    private static bool TryDeltaSeconds(string text, out long seconds)
    {
        seconds = 0;
        if (text.Length == 0) return false;
        foreach (char ch in text)
        {
            if (ch is < '0' or > '9') return false;
            seconds = Math.Min(seconds * 10 + (ch - '0'), uint.MaxValue);
        }
        return true;
    }

    private static string Describe(in PeerAddress source)
    {
        if (source.IsEmpty) return string.Empty;
        Span<byte> host = stackalloc byte[48];
        int n = source.FormatHost(host);
        return string.Create(CultureInfo.InvariantCulture, $"{source.Protocol.ToString().ToLowerInvariant()}:{Encoding.ASCII.GetString(host[..n])}:{source.Port}");
    }

    private static bool Contains(IReadOnlyList<string> set, string token)
    {
        // Option tags compare case-insensitively (§7.3.1, §19.2).
        foreach (string s in set)
        {
            if (string.Equals(s, token, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private static RegistrarResponse Reject(SipParseError error, string toTag, string? reason = null) =>
        new(SipErrors.ToStatusCode(error), reason ?? SipErrors.ReasonPhrase(error), toTag);

    private static string NewTag()
    {
        // §19.3: tags need 32 bits of randomness; 64 are used.
        Span<byte> r = stackalloc byte[8];
        SecureRandom.Fill(r);
        return Convert.ToHexStringLower(r);
    }
}
