// SPDX-License-Identifier: MIT
// Outcomes of checking a request's digest credentials on a server.

namespace Sipwire.Auth;

/// <summary>What <see cref="DigestServer.Verify"/> found. Everything but <see cref="Ok"/> means "challenge again".</summary>
public enum DigestVerdict
{
    /// <summary>The credentials are right, fresh and not replayed.</summary>
    Ok = 0,

    /// <summary>The header is not a parsable Digest credential, or lacks a required parameter.</summary>
    Malformed,

    /// <summary>The realm is not this server's.</summary>
    WrongRealm,

    /// <summary>The algorithm is unknown or not the one this server offers.</summary>
    UnsupportedAlgorithm,

    /// <summary>No such user.</summary>
    UnknownUser,

    /// <summary>The nonce was not made by this server (forged, or from another secret).</summary>
    InvalidNonce,

    /// <summary>The nonce is ours but expired or no longer tracked: answer with stale=true (RFC 7616 §3.3) when the response is otherwise right.</summary>
    StaleNonce,

    /// <summary>The nonce count did not increase: a replayed request (RFC 7616 §3.4).</summary>
    Replayed,

    /// <summary>The response does not match: wrong password.</summary>
    WrongResponse,

    /// <summary>The digest "uri" is not the request's Request-URI.</summary>
    UriMismatch,
}
