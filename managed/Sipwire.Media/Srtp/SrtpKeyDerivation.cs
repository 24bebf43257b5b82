// The SRTP key derivation function (RFC 3711 §4.3): AES-CM PRF keyed with the master key.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Media.Srtp;

/// <summary>Derives SRTP/SRTCP session keys from the master key and salt (RFC 3711 §4.3.1, §4.3.3).</summary>
public static class SrtpKeyDerivation
{
    /// <summary>Label for the SRTP encryption key.</summary>
    public const byte RtpEncryption = 0x00;

    /// <summary>Label for the SRTP authentication key.</summary>
    public const byte RtpAuthentication = 0x01;

    /// <summary>Label for the SRTP salt.</summary>
    public const byte RtpSalt = 0x02;

    /// <summary>Label for the SRTCP encryption key.</summary>
    public const byte RtcpEncryption = 0x03;

    /// <summary>Label for the SRTCP authentication key.</summary>
    public const byte RtcpAuthentication = 0x04;

    /// <summary>Label for the SRTCP salt.</summary>
    public const byte RtcpSalt = 0x05;

    /// <summary>
    /// Fills <paramref name="output"/> with PRF_n(k_m, x), x = (label || r) XOR k_s, for the key
    /// derivation rate 0 (r = index DIV kdr = 0, the default and what SDES offers without KDR).
    /// </summary>
    public static void Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        if (masterKey.Length != 16)
        {
            throw new ArgumentException("AES-128 master keys are 16 octets.", nameof(masterKey));
        }

        using var prf = new AesCounterMode(masterKey);
        Derive(prf, masterSalt, label, output);
    }

    internal static void Derive(AesCounterMode prf, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        if (masterSalt.Length != 14)
        {
            throw new ArgumentException("The master salt is 14 octets (112 bits).", nameof(masterSalt));
        }

        // §4.3.1: key_id = label || r (r is 48 bits, zero here) is XORed into the low 56 bits of the
        // 112-bit salt, so the label lands on octet 7; §4.3.3: the PRF input is x * 2^16.
        Span<byte> iv = stackalloc byte[16];
        masterSalt.CopyTo(iv);
        iv[7] ^= label;
        prf.Keystream(iv, output);
    }
}
