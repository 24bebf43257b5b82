// Proxy authorization (RFC 3261 §16.3 step 6, §22.3): requests from the proxy's own users need Proxy-Authorization, or get 407/403.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Auth;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Proxy;

public sealed partial class SipProxy
{
    private const string ChallengeReason = "Proxy Authentication Required";
    private readonly SipMessage _authForward = new();
    private readonly Dictionary<string, string> _authMemo = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long ExpiresMicros)> _authMemoOrder = new();
    private readonly List<int> _authStrip = [];
    private System.Net.IPAddress? _nextHopAddress;
    private bool _nextHopResolved;

    /// <summary>Requests answered 407 by <see cref="ProxyOptions.Authentication"/> (no, wrong, stale or replayed credentials).</summary>
    public long AuthChallenged { get; private set; }

    /// <summary>Requests answered 403: valid credentials of a user who may not send as the From address.</summary>
    public long AuthForbidden { get; private set; }

    /// <summary>Requests whose Proxy-Authorization was accepted and consumed.</summary>
    public long AuthAccepted { get; private set; }

    /// <summary>
    /// §16.3 step 6 "proxy authorization", run after the other validation steps and before route processing, only
    /// when <see cref="ProxyOptions.Authentication"/> is set. Returns false with <paramref name="a"/> holding the
    /// 407/403 when the request may not be forwarded; true otherwise, with <see cref="Analysis.Forward"/> set to a
    /// copy without this proxy's credentials when they were consumed (§22.3).
    /// </summary>
    private bool AuthorizeRequest(SipMessage request, in PeerAddress source, ref Analysis a)
    {
        ProxyAuthentication? auth = _options.Authentication;
        if (auth is null) return true;
        SipMethod method = request.Method;
        if (method == SipMethod.Ack)
        {
            // A stateless proxy has no transaction to absorb the ACK of its own 407/403 (§17.2.1 does it for a stateful
            // one); it is recognised by the refused INVITE's Call-ID, From tag and CSeq number and not forwarded.
            if (_options.Stateless && request.To.HasTag && Recall(MemoKey('C', request, SipMethod.Invite)) is not null)
            {
                Fail(ref a, 407, "ACK Of Our Response Absorbed");
                return false;
            }
            return true;
        }
        // §22.1: ACK and CANCEL cannot be challenged (CANCEL goes hop by hop with the INVITE's identity). REGISTER for
        // the domain is authenticated by the registrar (§10.3 step 3, 401); one forwarded elsewhere by its registrar.
        if (method is SipMethod.Cancel or SipMethod.Register) return true;

        // A trusted peer (a core proxy or gateway that authenticates its own users) is not challenged.
        if (auth.Trusted?.Invoke(source) == true || (auth.TrustNextHop && FromNextHop(source))) return true;

        // §12.2 / §16.12: a request inside a dialog (To tag) that reaches us through our own Record-Route belongs to a
        // dialog whose initial request this proxy authenticated; its credentials, if any, stay for downstream hops.
        if (request.To.HasTag && TopRouteIsOurs(request)) return true;

        // Only our own users are authenticated: a request whose From is in a foreign domain has no credentials here to
        // give. A From naming the proxy's own address counts as ours (Kamailio's "myself": domains and listen addresses).
        if (!SipUri.TryParse(request.From.Uri, out SipUri? from) || !(IsOurDomain(from!.Host) || IsLocalUri(from)))
        {
            // An inbound call to one of our users (or to the proxy) passes; foreign to foreign would make us an open relay
            // that anybody could use to reach a gateway (Kamailio's default "403 Not relaying").
            if (!auth.RefuseRelay || (SipUri.TryParse(request.RequestUri, out SipUri? target) && (IsOurDomain(target!.Host) || IsLocalUri(target))))
            {
                return true;
            }
            AuthForbidden++;
            if (_options.Stateless && method == SipMethod.Invite) Remember(MemoKey('C', request, SipMethod.Invite), "403");
            Fail(ref a, 403, "Forbidden - Not Relaying");
            AuthLog(request, source, 403, $"not relaying for {SipMessage.ToText(request.From.Uri)} to a foreign Request-URI");
            return false;
        }

        // §16.5 "the proxy is the target": an OPTIONS to the proxy itself (keep-alive, capability query) is answered here.
        if (method == SipMethod.Options && NoRouteButOurs(request)
            && SipUri.TryParse(request.RequestUri, out SipUri? ru) && ru!.User is null && (IsOurDomain(ru.Host) || IsLocalUri(ru)))
        {
            return true;
        }

        long nowMs = NowMs();
        string key = MemoKey('A', request, method);
        string? remembered = Recall(key);
        DigestServer digest = auth.Digest;
        string requestUri = SipMessage.ToText(request.RequestUri);
        DigestVerdict? verdict = null;
        string? user = null;
        string? accepted = null;
        bool retransmission = false;
        _authStrip.Clear();
        for (int h = request.IndexOfHeader(SipHeaderKind.ProxyAuthorization); h >= 0; h = request.IndexOfHeader(SipHeaderKind.ProxyAuthorization, h + 1))
        {
            string value = SipMessage.ToText(request.GetHeaderValue(h));
            // RFC 4475 §3.3.7: credentials of an unknown scheme are ignored; §22.3: other realms' are for other proxies.
            if (!value.TrimStart().StartsWith("Digest", StringComparison.OrdinalIgnoreCase)) continue;
            if (!AuthParams.TryParse(value, out AuthParams? p, out _) || p!["realm"] != digest.Realm) continue;
            _authStrip.Add(h);
            if (verdict is not null) continue;
            if (remembered is not null && string.Equals(remembered, value, StringComparison.Ordinal))
            {
                // §17.2 over UDP without a transaction (stateless mode): the same request again with the same
                // credentials is a retransmission, not a replay (RFC 7616 §3.4 counts requests, not datagrams).
                verdict = DigestVerdict.Ok;
                user = p["username"];
                retransmission = true;
            }
            else
            {
                verdict = digest.Verify(value, SipMessage.ToText(request.MethodName), requestUri, request.Body, auth.PasswordOf, nowMs, out user);
            }
            if (verdict == DigestVerdict.Ok) accepted = value;
        }

        if (verdict is null && remembered is not null && HasOurVia(request))
        {
            // A spiral (§16.6 step 8 / §16.3 step 4): the request we authenticated and forwarded, without our consumed
            // credentials, routed back to us by a downstream element (e.g. through our Path). Not challenged again.
            Authenticated(request, source, AuthParams.TryParse(remembered, out AuthParams? rp, out _) ? rp!["username"] ?? "?" : "?", "spiral");
            return true;
        }

        if (verdict != DigestVerdict.Ok)
        {
            // RFC 7616 §3.3: stale=true only for a right response on an expired nonce; anything else gets a fresh nonce.
            DigestChallenge challenge = digest.CreateChallenge(nowMs, stale: verdict == DigestVerdict.StaleNonce);
            a.ExtraHeader = "Proxy-Authenticate: " + challenge.ToString();
            AuthChallenged++;
            if (_options.Stateless && method == SipMethod.Invite) Remember(MemoKey('C', request, SipMethod.Invite), "407");
            // The reason does not say whether the user exists (no user enumeration); the log line below does.
            Fail(ref a, 407, verdict switch
            {
                null => ChallengeReason,
                DigestVerdict.StaleNonce => ChallengeReason + " - Stale Nonce",
                DigestVerdict.Replayed => ChallengeReason + " - Nonce Count Replayed",
                _ => ChallengeReason + " - Credentials Refused",
            });
            AuthLog(request, source, 407, verdict is null ? "no credentials for realm " + digest.Realm
                : $"{Describe(verdict.Value)} (user {user ?? "?"})");
            return false;
        }

        // Authorization: the authenticated user must own the From address (§22.3 leaves policy to the proxy; without
        // this check alice's valid credentials would let her call as bob).
        if (!SenderRule.Allows(user!, from, auth.Authorize))
        {
            string aor = SipRegistrar.Canonical(from);
            AuthForbidden++;
            if (_options.Stateless && method == SipMethod.Invite) Remember(MemoKey('C', request, SipMethod.Invite), "403");
            // The AoR is unescaped (a From user of %0D%0A); SipMessageWriter.StatusLine keeps control characters out of the reason (§25.1).
            Fail(ref a, 403, $"Forbidden - {user} May Not Send As {aor}");
            AuthLog(request, source, 403, $"user {user} may not send as {aor}");
            return false;
        }

        Remember(key, accepted!);
        a.Forward = WithoutOurCredentials(request);
        if (a.Forward is null)
        {
            Fail(ref a, 500, "Server Internal Error - Request Could Not Be Rewritten");
            return false;
        }
        Authenticated(request, source, user!, retransmission ? "retransmission" : "ok");
        return true;
    }

    private void Authenticated(SipMessage request, in PeerAddress source, string user, string how)
    {
        AuthAccepted++;
        AuthLog(request, source, 0, $"authenticated {user} ({how})");
    }

    private void AuthLog(SipMessage request, in PeerAddress source, int status, string detail)
    {
        if (Logged is null) return;
        Logged(new ProxyLogEntry(SipMessage.ToText(request.MethodName), SipMessage.ToText(request.RequestUri),
            SipMessage.ToText(request.CallId), source, status, "proxy-auth: " + detail, 0));
    }

    private static string Describe(DigestVerdict verdict) => verdict switch
    {
        DigestVerdict.Malformed => "malformed credentials",
        DigestVerdict.UnsupportedAlgorithm => "algorithm not offered",
        DigestVerdict.UnknownUser => "unknown user",
        DigestVerdict.InvalidNonce => "nonce not ours",
        DigestVerdict.StaleNonce => "stale nonce",
        DigestVerdict.Replayed => "nonce count replayed",
        DigestVerdict.WrongResponse => "wrong password",
        DigestVerdict.UriMismatch => "digest uri is not the Request-URI",
        _ => verdict.ToString(),
    };

    /// <summary>
    /// §22.3: the request as received minus this proxy's realm's Proxy-Authorization values (it consumed them);
    /// every other header field, other realms' credentials included, keeps its place. Null if it cannot be re-parsed.
    /// </summary>
    private SipMessage? WithoutOurCredentials(SipMessage request)
    {
        if (_authStrip.Count == 0) return request;
        // Compact header names are written long ("Name: value"): 24 bytes per header is more than any growth.
        byte[] copy = new byte[request.Length + 24 * request.HeaderCount + 64];
        var w = new SipMessageWriter(copy);
        w.RequestLine(request.MethodName, request.RequestUri);
        ReadOnlySpan<byte> s = request.Span;
        for (int i = 0; i < request.HeaderCount; i++)
        {
            SipHeaderEntry h = request.GetHeader(i);
            if (h.Kind == SipHeaderKind.ContentLength || _authStrip.Contains(i)) continue;
            w.Header(h.Name.Slice(s), h.Value.Slice(s));
        }
        w.EndWithBody(request.Body);
        if (w.Overflowed) return null;
        return SipParser.Parse(copy.AsMemory(0, w.Length), SipFraming.Datagram, _authForward).IsDone ? _authForward : null;
    }

    /// <summary>No Route at all, or only one naming us (a UA's preloaded outbound-proxy Route, §8.1.2).</summary>
    private bool NoRouteButOurs(SipMessage request)
    {
        int h = request.IndexOfHeader(SipHeaderKind.Route);
        if (h < 0) return true;
        if (request.IndexOfHeader(SipHeaderKind.Route, h + 1) >= 0) return false;
        ReadOnlySpan<byte> v = request.GetHeaderValue(h);
        int pos = 0;
        return HeaderList.Next(v, ref pos, out _) && !HeaderList.Next(v, ref pos, out _) && TopRouteIsOurs(request);
    }

    /// <summary>Did <paramref name="source"/> come from the IP address of <see cref="ProxyOptions.NextHop"/> (resolved once)?</summary>
    private bool FromNextHop(in PeerAddress source)
    {
        if (!_nextHopResolved)
        {
            _nextHopResolved = true;
            string? hop = _options.NextHop?.Trim();
            if (hop is not null && hop.StartsWith('<') && hop.EndsWith('>')) hop = hop[1..^1];
            if (hop is not null && SipUri.TryParse(hop, out SipUri? uri) && ResolveUri(uri!) is PeerAddress at) _nextHopAddress = at.ToEndPoint().Address;
        }
        return _nextHopAddress is not null && !source.IsEmpty && source.ToEndPoint().Address.Equals(_nextHopAddress);
    }

    private bool TopRouteIsOurs(SipMessage request)
    {
        int h = request.IndexOfHeader(SipHeaderKind.Route);
        if (h < 0) return false;
        ReadOnlySpan<byte> v = request.GetHeaderValue(h);
        int pos = 0;
        if (!HeaderList.Next(v, ref pos, out Range r)) return false;
        string? uri = RouteUri(Encoding.UTF8.GetString(v[r]));
        return uri is not null && SipUri.TryParse(uri, out SipUri? u) && IsLocalUri(u!);
    }

    private bool HasOurVia(SipMessage request)
    {
        foreach (SipVia via in request.Vias)
        {
            if (IsLocalSentBy(via)) return true;
        }
        return false;
    }

    // 'A': an authenticated request (value: the credentials accepted); 'C': a stateless 407/403 to an INVITE. The key is
    // the request's identity within its dialog (§17.2.3 without the branch, which differs on each spiral hop).
    private static string MemoKey(char kind, SipMessage request, SipMethod method) =>
        string.Concat(kind.ToString(), "|", SipMessage.ToText(request.CallId), "|", SipMessage.ToText(request.From.Tag), "|",
            request.CSeqNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), "|", method.ToString());

    private string? Recall(string key)
    {
        ExpireMemo();
        return _authMemo.TryGetValue(key, out string? v) ? v : null;
    }

    private void Remember(string key, string value)
    {
        ProxyAuthentication auth = _options.Authentication!;
        ExpireMemo();
        if (!_authMemo.ContainsKey(key))
        {
            // Bounded (DESIGN principle 3): the oldest are forgotten first; forgetting only costs a 407 to a retransmission.
            while (_authMemo.Count >= auth.MaxRemembered && _authMemoOrder.TryDequeue(out (string Key, long ExpiresMicros) old)) _authMemo.Remove(old.Key);
            _authMemoOrder.Enqueue((key, _layer.Clock.NowMicros + auth.RetransmissionWindow.Ticks / 10));
        }
        _authMemo[key] = value;
    }

    private void ExpireMemo()
    {
        long now = _layer.Clock.NowMicros;
        while (_authMemoOrder.TryPeek(out (string Key, long ExpiresMicros) e) && e.ExpiresMicros <= now)
        {
            _authMemoOrder.Dequeue();
            _authMemo.Remove(e.Key);
        }
    }
}
