// Answers digest challenges (RFC 3261 §22.2-22.3, RFC 7616) for one feature's requests, per realm.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Auth;
using Sipwire.Sip;

namespace Sipwire.UserAgent;

/// <summary>
/// The client half of digest authentication for MESSAGE, SUBSCRIBE and PUBLISH, with the rules
/// <see cref="Registration"/> follows: the strongest challenge of each 401/407 is kept per realm and
/// answered on every later request (§22.3), a second challenge for credentials just sent means they
/// were refused unless stale=true (RFC 7616 §3.3), and the number of challenges per request is bounded.
/// </summary>
internal sealed class ClientAuthenticator
{
    private const int MaxChallengesPerRequest = 4;
    private readonly IReadOnlyList<SipCredentials> _credentials;
    private readonly DigestClient _digest;
    private readonly Dictionary<string, (DigestChallenge Challenge, bool Proxy)> _challenges = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fresh = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sentFresh = new(StringComparer.Ordinal);
    private int _challengesThisRequest;

    public ClientAuthenticator(IReadOnlyList<SipCredentials>? credentials, DigestClient? digest = null)
    {
        _credentials = credentials ?? [];
        _digest = digest ?? new DigestClient();
    }

    /// <summary>Starts a new logical request (not a re-send after a challenge).</summary>
    public void BeginRequest()
    {
        _challengesThisRequest = 0;
        _fresh.Clear();
        _sentFresh.Clear();
    }

    /// <summary>Takes a 401 or 407; returns null when the request should be sent again with credentials, else why not.</summary>
    public string? OnChallenge(SipMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        bool proxy = response.StatusCode == 407;
        SipHeaderKind kind = proxy ? SipHeaderKind.ProxyAuthenticate : SipHeaderKind.WwwAuthenticate;
        string error = "no " + (proxy ? "Proxy-Authenticate" : "WWW-Authenticate") + " challenge";
        var list = new List<DigestChallenge>();
        for (int i = response.IndexOfHeader(kind); i >= 0; i = response.IndexOfHeader(kind, i + 1))
        {
            if (DigestChallenge.TryParse(SipMessage.ToText(response.GetHeaderValue(i)), out DigestChallenge? c, out string e)) list.Add(c!);
            else error = e;
        }
        DigestChallenge? challenge = DigestChallenge.SelectStrongest(list);
        if (challenge is null) return error;
        if (SipCredentials.Find(_credentials, challenge.Realm) is null) return $"no credentials for realm \"{challenge.Realm}\"";
        // §22.2: a new challenge for a realm whose fresh answer we just sent means a wrong password,
        // unless stale=true says only the nonce had expired (RFC 7616 §3.3).
        if (_sentFresh.Contains(challenge.Realm) && !challenge.Stale)
        {
            _challenges.Remove(challenge.Realm);
            return $"credentials for realm \"{challenge.Realm}\" refused";
        }
        if (++_challengesThisRequest > MaxChallengesPerRequest) return $"challenged {MaxChallengesPerRequest} times for one request";
        _challenges[challenge.Realm] = (challenge, proxy);
        _fresh.Add(challenge.Realm);
        return null;
    }

    /// <summary>Authorization / Proxy-Authorization header lines for a request (§22.4: the digest uri is the Request-URI).</summary>
    public string Authorization(string method, string requestUri, ReadOnlySpan<byte> body)
    {
        if (_challenges.Count == 0) return "";
        var sb = new StringBuilder();
        _sentFresh.Clear();
        foreach (KeyValuePair<string, (DigestChallenge Challenge, bool Proxy)> c in _challenges)
        {
            SipCredentials? credentials = SipCredentials.Find(_credentials, c.Key);
            if (credentials is null) continue;
            string value = _digest.Authorize(c.Value.Challenge, credentials.Username, credentials.Password, method, requestUri, body);
            sb.Append(c.Value.Proxy ? "Proxy-Authorization: " : "Authorization: ").Append(value).Append("\r\n");
            if (_fresh.Remove(c.Key)) _sentFresh.Add(c.Key);
        }
        return sb.ToString();
    }
}
