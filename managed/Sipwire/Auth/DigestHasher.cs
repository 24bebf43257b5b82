// SPDX-License-Identifier: MIT
// One hash function of a digest algorithm, fed in parts, finished as lowercase hex (RFC 7616 §3.4).

using System;
using System.Text;

namespace Sipwire.Auth;

/// <summary>The H() of RFC 7616 §3.4 for one algorithm, on managed MD5/SHA-256/SHA-512-256.</summary>
internal struct DigestHasher
{
    private readonly int _kind; // 0 MD5, 1 SHA-256, 2 SHA-512/256
    private Md5 _md5;
    private Sha256 _sha256;
    private Sha512 _sha512;

    public DigestHasher(DigestAlgorithm algorithm)
    {
        _kind = algorithm switch
        {
            DigestAlgorithm.Md5 or DigestAlgorithm.Md5Sess => 0,
            DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess => 1,
            _ => 2,
        };
        _md5 = Md5.Create();
        _sha256 = Sha256.Create();
        _sha512 = Sha512.Create512_256();
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        switch (_kind)
        {
            case 0: _md5.Append(data); break;
            case 1: _sha256.Append(data); break;
            default: _sha512.Append(data); break;
        }
    }

    public void Append(string text)
    {
        // Digest inputs are UTF-8 (RFC 7616 §3.4.4); they are short header parameters.
        Span<byte> buffer = text.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(text.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        Append(buffer[..Encoding.UTF8.GetBytes(text, buffer)]);
    }

    public void AppendColon() => Append(":"u8);

    /// <summary>The hash as lowercase hex (RFC 7616 §3.4: 32 hex digits for MD5, 64 for the others).</summary>
    public string FinishHex()
    {
        Span<byte> hash = stackalloc byte[32];
        int size;
        switch (_kind)
        {
            case 0: _md5.Finish(hash); size = Md5.HashSize; break;
            case 1: _sha256.Finish(hash); size = Sha256.HashSize; break;
            default: _sha512.Finish256(hash); size = Sha512.HashSize256; break;
        }
        return Convert.ToHexStringLower(hash[..size]);
    }

    /// <summary>H(parts joined by ':').</summary>
    public static string Hash(DigestAlgorithm algorithm, params ReadOnlySpan<string> parts)
    {
        var hasher = new DigestHasher(algorithm);
        for (int i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                hasher.AppendColon();
            }
            hasher.Append(parts[i]);
        }
        return hasher.FinishHex();
    }

    /// <summary>H(body), for A2 of qop=auth-int.</summary>
    public static string HashBody(DigestAlgorithm algorithm, ReadOnlySpan<byte> body)
    {
        var hasher = new DigestHasher(algorithm);
        hasher.Append(body);
        return hasher.FinishHex();
    }
}
