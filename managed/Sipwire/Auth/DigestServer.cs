// SPDX-License-Identifier: MIT
// Server side of digest authentication: challenges, nonces with expiry, replay checks (RFC 3261 §22, RFC 7616).

using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using Sipwire.Security;

namespace Sipwire.Auth;

/// <summary>
/// Issues self-validating nonces (timestamp, random, HMAC over both and the realm) and checks
/// credentials: realm, algorithm, nonce origin and age, strictly increasing nonce count, Request-URI,
/// response. Tracks at most <c>maxNonces</c> outstanding nonces; older ones become stale, so memory
/// is bounded and a replay can never slip through an evicted entry. Time is passed in (sans-IO).
/// Not thread-safe: one endpoint thread drives it.
/// </summary>
public sealed class DigestServer
{
    private const int RandomSize = 8;
    private const int MacSize = 16;
    private readonly byte[] _secret;
    private readonly long _lifetimeMs;
    private readonly int _maxNonces;
    private readonly Dictionary<string, uint> _nonceCounts = new(StringComparer.Ordinal);
    private readonly Queue<string> _issued = new();

    /// <summary>Creates a server for one realm.</summary>
    /// <param name="realm">The realm (RFC 3261 §22.1: usually the domain).</param>
    /// <param name="algorithm">The algorithm challenged with.</param>
    /// <param name="nonceLifetime">How long a nonce may be used (after that: stale=true).</param>
    /// <param name="maxNonces">Most outstanding nonces tracked for replay checks.</param>
    /// <param name="secret">HMAC key for nonces; null draws 32 random bytes (nonces then die with the process).</param>
    public DigestServer(string realm, DigestAlgorithm algorithm, TimeSpan nonceLifetime, int maxNonces = 10_000, byte[]? secret = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(nonceLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNonces, 1);
        Realm = realm;
        Algorithm = algorithm;
        _lifetimeMs = (long)nonceLifetime.TotalMilliseconds;
        _maxNonces = maxNonces;
        _secret = secret ?? SecureRandom.GetBytes(32);
    }

    /// <summary>The realm challenged for.</summary>
    public string Realm { get; }

    /// <summary>The algorithm challenged with.</summary>
    public DigestAlgorithm Algorithm { get; }

    /// <summary>A fresh challenge (qop auth and auth-int offered).</summary>
    /// <param name="nowMs">The current time in milliseconds on the endpoint's clock.</param>
    /// <param name="stale">True when the last credentials failed only because their nonce was stale.</param>
    public DigestChallenge CreateChallenge(long nowMs, bool stale = false)
    {
        string nonce = NewNonce(nowMs);
        _issued.Enqueue(nonce);
        _nonceCounts[nonce] = 0;
        while (_issued.Count > _maxNonces)
        {
            _nonceCounts.Remove(_issued.Dequeue());
        }
        return new DigestChallenge
        {
            Realm = Realm,
            Nonce = nonce,
            Algorithm = Algorithm,
            OffersAuth = true,
            OffersAuthInt = true,
            Stale = stale,
        };
    }

    /// <summary>Checks an Authorization / Proxy-Authorization value.</summary>
    /// <param name="credentials">The header value.</param>
    /// <param name="method">The request method.</param>
    /// <param name="requestUri">The request's Request-URI, which the digest "uri" must equal.</param>
    /// <param name="body">The request body (for auth-int).</param>
    /// <param name="passwordOf">Password of a user name, or null for unknown users.</param>
    /// <param name="nowMs">The current time in milliseconds on the endpoint's clock.</param>
    /// <param name="username">The authenticated user name when the verdict is Ok, else what the client claimed (or null).</param>
    public DigestVerdict Verify(string credentials, string method, string requestUri, ReadOnlySpan<byte> body,
        Func<string, string?> passwordOf, long nowMs, out string? username)
    {
        ArgumentNullException.ThrowIfNull(passwordOf);
        username = null;
        if (!AuthParams.TryParse(credentials, out AuthParams? p, out _)
            || !string.Equals(p!.Scheme, "Digest", StringComparison.OrdinalIgnoreCase))
        {
            return DigestVerdict.Malformed;
        }
        username = p["username"];
        string? realm = p["realm"], nonce = p["nonce"], uri = p["uri"], response = p["response"];
        if (username is null || realm is null || nonce is null || uri is null || response is null)
        {
            return DigestVerdict.Malformed;
        }
        if (realm != Realm)
        {
            return DigestVerdict.WrongRealm;
        }
        DigestAlgorithm algorithm = DigestAlgorithm.Md5;
        if ((p["algorithm"] is { } name && !DigestAlgorithms.TryParse(name, out algorithm)) || algorithm != Algorithm)
        {
            return DigestVerdict.UnsupportedAlgorithm;
        }
        string? qop = p["qop"];
        string? cnonce = p["cnonce"];
        uint nc = 0;
        if (qop is not null)
        {
            if ((qop != "auth" && qop != "auth-int") || cnonce is null || p["nc"] is not { Length: 8 } ncText
                || !uint.TryParse(ncText, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out nc))
            {
                return DigestVerdict.Malformed;
            }
        }
        if (uri != requestUri)
        {
            return DigestVerdict.UriMismatch;
        }
        if (!TryReadNonce(nonce, out long issuedMs))
        {
            return DigestVerdict.InvalidNonce;
        }
        string? password = passwordOf(username);
        if (password is null)
        {
            return DigestVerdict.UnknownUser;
        }
        string expected;
        try
        {
            expected = DigestResponse.Compute(algorithm, username, realm, password, method, uri, nonce, nc, cnonce, qop, body);
        }
        catch (ArgumentException)
        {
            return DigestVerdict.Malformed;
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response.ToLowerInvariant())))
        {
            return DigestVerdict.WrongResponse;
        }
        // The password was right; now freshness. RFC 7616 §3.3: a right response on an old nonce gets stale=true.
        if (nowMs - issuedMs > _lifetimeMs || nowMs < issuedMs || !_nonceCounts.TryGetValue(nonce, out uint lastCount))
        {
            return DigestVerdict.StaleNonce;
        }
        // Without qop there is no nonce count: a nonce then serves one request only.
        uint count = qop is null ? 1 : nc;
        if (count <= lastCount)
        {
            return DigestVerdict.Replayed;
        }
        _nonceCounts[nonce] = count;
        return DigestVerdict.Ok;
    }

    private string NewNonce(long nowMs)
    {
        Span<byte> raw = stackalloc byte[8 + RandomSize + MacSize];
        BinaryPrimitives.WriteInt64BigEndian(raw, nowMs);
        SecureRandom.Fill(raw.Slice(8, RandomSize));
        Mac(raw[..(8 + RandomSize)], raw[(8 + RandomSize)..]);
        return Convert.ToBase64String(raw);
    }

    private bool TryReadNonce(string nonce, out long issuedMs)
    {
        issuedMs = 0;
        Span<byte> raw = stackalloc byte[8 + RandomSize + MacSize];
        if (!Convert.TryFromBase64String(nonce, raw, out int length) || length != raw.Length)
        {
            return false;
        }
        Span<byte> mac = stackalloc byte[MacSize];
        Mac(raw[..(8 + RandomSize)], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, raw[(8 + RandomSize)..]))
        {
            return false;
        }
        issuedMs = BinaryPrimitives.ReadInt64BigEndian(raw);
        return true;
    }

    // HMAC-SHA-256(secret, timestamp || random || realm), truncated to 128 bits.
    private void Mac(ReadOnlySpan<byte> stampAndRandom, Span<byte> mac)
    {
        byte[] realm = Encoding.UTF8.GetBytes(Realm);
        byte[] message = new byte[stampAndRandom.Length + realm.Length];
        stampAndRandom.CopyTo(message);
        realm.CopyTo(message.AsSpan(stampAndRandom.Length));
        Span<byte> full = stackalloc byte[Sha256.HashSize];
        HmacSha256.Compute(_secret, message, full);
        full[..MacSize].CopyTo(mac);
    }
}
