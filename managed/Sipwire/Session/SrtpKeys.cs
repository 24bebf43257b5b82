// SPDX-License-Identifier: MIT
// SDES-negotiated SRTP keys of one stream (RFC 4568).

namespace Sipwire.Session;

/// <summary>The crypto suite and the two master key||salt values (30 bytes each for AES_CM_128).</summary>
/// <param name="Suite">e.g. AES_CM_128_HMAC_SHA1_80.</param>
/// <param name="LocalKeySalt">Our key: we protect what we send with it, the peer unprotects with it.</param>
/// <param name="RemoteKeySalt">The peer's key: it protects what it sends with it.</param>
public sealed record SrtpKeys(string Suite, byte[] LocalKeySalt, byte[] RemoteKeySalt);
