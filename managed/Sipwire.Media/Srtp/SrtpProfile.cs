// The SRTP crypto suites Sipwire implements (RFC 3711 §5, RFC 4568 §6.2).
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Srtp;

/// <summary>SRTP crypto suite: AES counter mode with a 128-bit key and HMAC-SHA1 authentication.</summary>
public enum SrtpProfile
{
    /// <summary>AES_CM_128_HMAC_SHA1_80: 80-bit tag for SRTP and SRTCP (RFC 4568 §6.2.1).</summary>
    AesCm128HmacSha1Tag80 = 1,

    /// <summary>AES_CM_128_HMAC_SHA1_32: 32-bit tag for SRTP, 80-bit for SRTCP (RFC 4568 §6.2.2).</summary>
    AesCm128HmacSha1Tag32 = 2,
}
