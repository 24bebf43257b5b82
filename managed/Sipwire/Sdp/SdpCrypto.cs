// a=crypto (RFC 4568 §9.1): SDES keying for SRTP.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;

namespace Sipwire.Sdp;

/// <summary>One key-param of a=crypto: "inline:" key||salt (base64) [|lifetime] [|MKI:length].</summary>
/// <param name="KeySalt">The base64 key||salt as written.</param>
/// <param name="Lifetime">The lifetime as written ("2^31" or a decimal), null when absent.</param>
/// <param name="Mki">The MKI value, null when absent.</param>
/// <param name="MkiLength">The MKI length in bytes, 0 when absent.</param>
public sealed record SdpCryptoKey(string KeySalt, string? Lifetime, string? Mki, int MkiLength);

/// <summary>a=crypto:&lt;tag&gt; &lt;crypto-suite&gt; &lt;key-params&gt; [&lt;session-params&gt;].</summary>
public sealed record SdpCrypto(int Tag, string Suite, IReadOnlyList<SdpCryptoKey> Keys, IReadOnlyList<string> SessionParameters);
