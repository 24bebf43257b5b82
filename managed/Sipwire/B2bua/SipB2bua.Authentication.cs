// Caller authentication of the B2BUA (RFC 3261 §22.2, §22.3): INVITEs from its own domains' users need credentials, or get 401/403.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Auth;
using Sipwire.Sip;
using Sipwire.Transactions;

namespace Sipwire.B2bua;

public sealed partial class SipB2bua
{
    /// <summary>INVITEs answered 401 (no, wrong, stale or replayed credentials).</summary>
    public long AuthChallenged { get; private set; }

    /// <summary>INVITEs answered 403: valid credentials of a user who may not call as the From address.</summary>
    public long AuthForbidden { get; private set; }

    /// <summary>
    /// Checks a new INVITE's credentials when <see cref="B2buaOptions.Authentication"/> is set. Returns false when it
    /// answered (401 with a challenge, or 403); true to go on. Only our own domains' users are challenged: a call from
    /// a foreign domain has no credentials here to give, and the routing decides whether we take it (the default
    /// route serves only our domains, so that is no open relay).
    /// </summary>
    private bool AuthenticateCaller(Transaction transaction, SipMessage request)
    {
        ServerAuthentication? auth = _options.Authentication;
        if (auth is null || auth.Trusted?.Invoke(transaction.Source) == true) return true;
        if (!SipUri.TryParse(request.From.Uri, out SipUri? from) || from is null)
        {
            Respond(transaction, request, 400, "Bad Request (From URI)", "b2b");
            return false;
        }
        if (!ServesDomain(from.Host)) return true;

        DigestServer digest = auth.Digest;
        long nowMs = _nowMs();
        string requestUri = SipMessage.ToText(request.RequestUri);
        DigestVerdict? verdict = null;
        string? user = null;
        for (int h = request.IndexOfHeader(SipHeaderKind.Authorization); h >= 0; h = request.IndexOfHeader(SipHeaderKind.Authorization, h + 1))
        {
            string value = SipMessage.ToText(request.GetHeaderValue(h));
            // RFC 4475 §3.3.7: credentials of an unknown scheme are ignored; §22.3: other realms' are not ours to judge.
            if (!value.TrimStart().StartsWith("Digest", StringComparison.OrdinalIgnoreCase)) continue;
            DigestVerdict v = digest.Verify(value, "INVITE", requestUri, request.Body, auth.PasswordOf, nowMs, out string? who);
            if (v == DigestVerdict.WrongRealm) continue;
            verdict = v;
            user = who;
            break;
        }
        if (verdict != DigestVerdict.Ok)
        {
            // §22.2: a UAS challenges with 401 and WWW-Authenticate; RFC 7616 §3.3: stale=true only for a right
            // response on an expired nonce. The reason does not say whether the user exists (no enumeration).
            AuthChallenged++;
            DigestChallenge challenge = digest.CreateChallenge(nowMs, stale: verdict == DigestVerdict.StaleNonce);
            string reason = verdict switch
            {
                null => "Unauthorized",
                DigestVerdict.StaleNonce => "Unauthorized (stale nonce)",
                DigestVerdict.Replayed => "Unauthorized (nonce count replayed)",
                _ => "Unauthorized (credentials refused)",
            };
            Respond(transaction, request, 401, reason, "b2b", "WWW-Authenticate: " + challenge.ToString() + "\r\n");
            Raise(B2buaEventKind.Rejected, SipMessage.ToText(request.CallId), "", 401, verdict is null ? "no credentials" : verdict.Value.ToString(), B2buaSide.Caller);
            return false;
        }
        if (!SenderRule.Allows(user!, from, auth.Authorize))
        {
            AuthForbidden++;
            string why = $"{user} may not call as {Sipwire.Registrar.SipRegistrar.Canonical(from)}";
            Respond(transaction, request, 403, "Forbidden (" + why + ")", "b2b");
            Raise(B2buaEventKind.Rejected, SipMessage.ToText(request.CallId), "", 403, why, B2buaSide.Caller);
            return false;
        }
        return true;
    }

    private bool ServesDomain(string host)
    {
        if (_options.Domains.Count == 0) return true;
        foreach (string d in _options.Domains)
        {
            if (string.Equals(d, host, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
