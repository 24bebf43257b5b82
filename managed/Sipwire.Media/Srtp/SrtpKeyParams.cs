// Parses the key-params of an SDES `a=crypto` attribute (RFC 4568 §6.1, §6.2): inline key||salt, lifetime, MKI.
// SPDX-License-Identifier: MIT

using System;
using System.Globalization;

namespace Sipwire.Media.Srtp;

/// <summary>
/// One key-params element of an SDES crypto attribute: <c>inline:&lt;base64 key||salt&gt;[|lifetime][|MKI:length]</c>
/// (RFC 4568 §6.1 grammar, §6.2.1 for the AES_CM_128 suites). The SDP framing of the attribute
/// (tag, suite name, session parameters, ";"-separated key-params lists) is parsed by the SDP layer.
/// </summary>
public sealed class SrtpKeyParams
{
    /// <summary>Master key length of AES_CM_128 suites, in octets.</summary>
    public const int MasterKeyLength = 16;

    /// <summary>Master salt length of AES_CM_128 suites, in octets.</summary>
    public const int MasterSaltLength = 14;

    /// <summary>RFC 4568 §6.2.1: maximum SRTP lifetime of AES_CM_128_HMAC_SHA1_* keys (2^48 packets).</summary>
    public const ulong MaxLifetime = 1UL << 48;

    private readonly byte[] _masterKey;
    private readonly byte[] _masterSalt;
    private readonly byte[] _mki;

    private SrtpKeyParams(byte[] masterKey, byte[] masterSalt, ulong lifetime, byte[] mki)
    {
        _masterKey = masterKey;
        _masterSalt = masterSalt;
        Lifetime = lifetime;
        _mki = mki;
    }

    /// <summary>The 16-octet master key.</summary>
    public ReadOnlySpan<byte> MasterKey => _masterKey;

    /// <summary>The 14-octet master salt.</summary>
    public ReadOnlySpan<byte> MasterSalt => _masterSalt;

    /// <summary>Key lifetime in packets (defaults to the suite maximum, 2^48).</summary>
    public ulong Lifetime { get; }

    /// <summary>The MKI as carried in each packet (empty when the key-params has no MKI).</summary>
    public ReadOnlySpan<byte> Mki => _mki;

    /// <summary>
    /// Parses one key-params element. Returns false with a human-readable reason on bad input.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> keyParams, out SrtpKeyParams? result, out string? error)
    {
        result = null;
        keyParams = keyParams.Trim();
        // RFC 4568 §9.2: key-method "inline" is the only method defined; it is case-sensitive.
        if (!keyParams.StartsWith("inline:", StringComparison.Ordinal))
        {
            error = "key-params must start with \"inline:\" (RFC 4568 §9.2)";
            return false;
        }

        ReadOnlySpan<char> info = keyParams["inline:".Length..];
        int bar = info.IndexOf('|');
        ReadOnlySpan<char> keySalt = bar < 0 ? info : info[..bar];
        ReadOnlySpan<char> rest = bar < 0 ? default : info[(bar + 1)..];

        Span<byte> decoded = stackalloc byte[64];
        if (!Convert.TryFromBase64Chars(keySalt, decoded, out int decodedLength))
        {
            error = "key||salt is not valid base64";
            return false;
        }

        // RFC 4568 §6.2.1: 30 octets (128-bit key, 112-bit salt) = 40 base64 characters.
        if (decodedLength != MasterKeyLength + MasterSaltLength)
        {
            error = $"key||salt decodes to {decodedLength} octets; AES_CM_128 suites need {MasterKeyLength + MasterSaltLength}";
            return false;
        }

        ulong lifetime = MaxLifetime;
        byte[] mki = [];
        if (!rest.IsEmpty)
        {
            ReadOnlySpan<char> first = rest;
            ReadOnlySpan<char> second = default;
            int bar2 = rest.IndexOf('|');
            if (bar2 >= 0)
            {
                first = rest[..bar2];
                second = rest[(bar2 + 1)..];
            }

            // The lifetime is optional; an element containing ':' is the MKI (§9.2 grammar).
            if (first.IndexOf(':') >= 0)
            {
                if (!second.IsEmpty)
                {
                    error = "the lifetime must come before the MKI";
                    return false;
                }

                if (!TryParseMki(first, out mki, out error))
                {
                    return false;
                }
            }
            else
            {
                if (!TryParseLifetime(first, out lifetime, out error))
                {
                    return false;
                }

                if (!second.IsEmpty && !TryParseMki(second, out mki, out error))
                {
                    return false;
                }
            }
        }

        result = new SrtpKeyParams(decoded[..MasterKeyLength].ToArray(), decoded.Slice(MasterKeyLength, MasterSaltLength).ToArray(), lifetime, mki);
        error = null;
        return true;
    }

    /// <summary>Formats key-params for an offer: <c>inline:base64[|2^n][|mki:len]</c>.</summary>
    public static string Format(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, int lifetimePowerOfTwo = 0, uint mkiValue = 0, int mkiLength = 0)
    {
        if (masterKey.Length != MasterKeyLength || masterSalt.Length != MasterSaltLength)
        {
            throw new ArgumentException("AES_CM_128 suites take a 16-octet key and a 14-octet salt.");
        }

        Span<byte> keySalt = stackalloc byte[MasterKeyLength + MasterSaltLength];
        masterKey.CopyTo(keySalt);
        masterSalt.CopyTo(keySalt[MasterKeyLength..]);
        string text = "inline:" + Convert.ToBase64String(keySalt);
        if (lifetimePowerOfTwo > 0)
        {
            text += "|2^" + lifetimePowerOfTwo.ToString(CultureInfo.InvariantCulture);
        }

        if (mkiLength > 0)
        {
            text += "|" + mkiValue.ToString(CultureInfo.InvariantCulture) + ":" + mkiLength.ToString(CultureInfo.InvariantCulture);
        }

        return text;
    }

    private static bool TryParseLifetime(ReadOnlySpan<char> text, out ulong lifetime, out string? error)
    {
        lifetime = 0;
        // RFC 4568 §6.1: lifetime = ["2^"] 1*(DIGIT).
        if (text.StartsWith("2^", StringComparison.Ordinal))
        {
            if (!int.TryParse(text[2..], NumberStyles.None, CultureInfo.InvariantCulture, out int power) || power > 48)
            {
                error = "lifetime 2^n needs n <= 48 for AES_CM_128 suites (RFC 4568 §6.2.1)";
                return false;
            }

            lifetime = 1UL << power;
        }
        else if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out lifetime))
        {
            error = "lifetime is not a decimal number or 2^n";
            return false;
        }

        if (lifetime == 0 || lifetime > MaxLifetime)
        {
            error = "lifetime must be between 1 and 2^48 packets (RFC 4568 §6.2.1)";
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryParseMki(ReadOnlySpan<char> text, out byte[] mki, out string? error)
    {
        mki = [];
        int colon = text.IndexOf(':');
        // RFC 4568 §6.1: mki-value ":" mki-length; the length is 1-128 octets.
        if (!ulong.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            || length < 1 || length > 128)
        {
            error = "MKI must be <decimal value>:<length 1-128>";
            return false;
        }

        if (length < 8 && value >= 1UL << (8 * length))
        {
            error = "MKI value does not fit its length";
            return false;
        }

        mki = new byte[length];
        // The value is an unsigned integer in network order, right-aligned in the MKI field.
        for (int i = 0; i < Math.Min(length, 8); i++)
        {
            mki[length - 1 - i] = (byte)(value >> (8 * i));
        }

        error = null;
        return true;
    }
}
