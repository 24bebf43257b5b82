// Maps SDES crypto-suite names (RFC 4568 §6.2) to SrtpProfile values and back.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Media.Srtp;

/// <summary>The crypto-suite tokens of an SDES <c>a=crypto</c> line (RFC 4568 §6.2).</summary>
public static class SrtpSuiteName
{
    /// <summary>RFC 4568 §6.2.1.</summary>
    public const string AesCm128HmacSha1Tag80 = "AES_CM_128_HMAC_SHA1_80";

    /// <summary>RFC 4568 §6.2.2.</summary>
    public const string AesCm128HmacSha1Tag32 = "AES_CM_128_HMAC_SHA1_32";

    /// <summary>Parses a suite token (case-sensitive, as registered); false for suites we do not implement.</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out SrtpProfile profile)
    {
        if (name.SequenceEqual(AesCm128HmacSha1Tag80))
        {
            profile = SrtpProfile.AesCm128HmacSha1Tag80;
            return true;
        }

        if (name.SequenceEqual(AesCm128HmacSha1Tag32))
        {
            profile = SrtpProfile.AesCm128HmacSha1Tag32;
            return true;
        }

        profile = default;
        return false;
    }

    /// <summary>The suite token of <paramref name="profile"/>.</summary>
    public static string Format(SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1Tag80 => AesCm128HmacSha1Tag80,
        SrtpProfile.AesCm128HmacSha1Tag32 => AesCm128HmacSha1Tag32,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown SRTP profile."),
    };
}
