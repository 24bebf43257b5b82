// Stateless temporary GRUUs (RFC 5627 §3.1.2, §5.4): an encrypted, authenticated token naming AoR, instance and registration Call-ID.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Sipwire.Auth;
using Sipwire.Security;

namespace Sipwire.Registrar;

/// <summary>
/// Mints and opens temp-gruus without a table, as RFC 5627 §5.4 suggests: the user part
/// <c>tgruu.&lt;token&gt;</c> carries the address-of-record, the instance ID and a digest of the Call-ID of the
/// registration it was issued for, encrypted and authenticated with a server secret. So:
/// <list type="bullet">
/// <item>every REGISTER gets a new temp-gruu (a fresh random nonce, §5.2: "a new temp-gruu ... each time");</item>
/// <item>every temp-gruu issued for a binding stays valid while the binding lives with the same Call-ID, and they
/// all stop resolving when the UA registers that instance with another Call-ID (§3.2) - the check compares the
/// token's Call-ID digest with the binding's current Call-ID;</item>
/// <item>it hides the AoR and the instance (§3.1.2: "the AOR cannot be determined from the temp-gruu") and cannot
/// be forged or altered without the secret.</item>
/// </list>
/// Construction, with K_e and K_m derived from the secret by HMAC-SHA-256: token = v | N | C | T where v = 1,
/// N = 12 random bytes, C = P xor HMAC(K_e, N | counter) blocks, P = H(Call-ID)[0..8] | AoR | 0x00 | instance,
/// T = HMAC(K_m, v | N | C)[0..16]; written as base64url without padding (only unreserved characters, RFC 3261 §25.1).
/// Managed SHA-256 only: no OpenSSL (libsipwire runs on devices without libssl). Thread-safe (no mutable state).
/// </summary>
public sealed class TemporaryGruu
{
    /// <summary>The user-part prefix that marks our temp-gruus (as in RFC 5627 §9's "tgruu.7hs==...").</summary>
    public const string UserPrefix = "tgruu.";

    private const byte Version = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int CallIdDigestLength = 8;
    // AoR and instance are short in practice; the bound keeps the URI well under any header limit.
    private const int MaxPlaintext = 512;

    private readonly byte[] _encryptionKey = new byte[32];
    private readonly byte[] _macKey = new byte[32];

    /// <summary>Creates a minter with a server secret (at least 16 bytes); every node that resolves its temp-gruus needs the same secret.</summary>
    public TemporaryGruu(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < 16) throw new ArgumentException("A temp-gruu secret needs at least 16 bytes.", nameof(secret));
        HmacSha256.Compute(secret, "sipwire temp-gruu encryption"u8, _encryptionKey);
        HmacSha256.Compute(secret, "sipwire temp-gruu authentication"u8, _macKey);
    }

    /// <summary>A minter with a random secret: its temp-gruus resolve only in this process.</summary>
    public static TemporaryGruu WithRandomSecret()
    {
        Span<byte> secret = stackalloc byte[32];
        SecureRandom.Fill(secret);
        return new TemporaryGruu(secret);
    }

    /// <summary>
    /// The user part of a new temp-gruu for <paramref name="addressOfRecord"/> (canonical form) and
    /// <paramref name="instanceId"/> (with or without angle brackets), bound to the registration's Call-ID;
    /// null when the fields are too long to carry.
    /// </summary>
    public string? CreateUser(string addressOfRecord, ReadOnlySpan<byte> instanceId, ReadOnlySpan<byte> callId)
    {
        ArgumentNullException.ThrowIfNull(addressOfRecord);
        instanceId = StripBrackets(instanceId);
        int aorLength = Encoding.UTF8.GetByteCount(addressOfRecord);
        int plainLength = CallIdDigestLength + aorLength + 1 + instanceId.Length;
        if (plainLength > MaxPlaintext || instanceId.IsEmpty) return null;
        Span<byte> token = stackalloc byte[1 + NonceLength + MaxPlaintext + TagLength];
        token = token[..(1 + NonceLength + plainLength + TagLength)];
        token[0] = Version;
        Span<byte> nonce = token.Slice(1, NonceLength);
        SecureRandom.Fill(nonce);
        Span<byte> plain = token.Slice(1 + NonceLength, plainLength);
        CallIdDigest(callId, plain[..CallIdDigestLength]);
        Encoding.UTF8.GetBytes(addressOfRecord, plain.Slice(CallIdDigestLength, aorLength));
        plain[CallIdDigestLength + aorLength] = 0;
        instanceId.CopyTo(plain[(CallIdDigestLength + aorLength + 1)..]);
        XorKeyStream(nonce, plain);
        Span<byte> mac = stackalloc byte[32];
        HmacSha256.Compute(_macKey, token[..^TagLength], mac);
        mac[..TagLength].CopyTo(token[^TagLength..]);
        return UserPrefix + Base64Url.EncodeToString(token);
    }

    /// <summary>
    /// Opens a temp-gruu user part: true with the address-of-record, the instance ID (in angle brackets, as a binding
    /// stores it) and the Call-ID digest when it is one of ours and unaltered; false for anything else.
    /// </summary>
    public bool TryOpen(string user, out string addressOfRecord, out string instanceId, out ulong callIdDigest)
    {
        addressOfRecord = "";
        instanceId = "";
        callIdDigest = 0;
        if (user is null || !user.StartsWith(UserPrefix, StringComparison.Ordinal)) return false;
        ReadOnlySpan<char> text = user.AsSpan(UserPrefix.Length);
        int max = Base64Url.GetMaxDecodedLength(text.Length);
        if (max < 1 + NonceLength + CallIdDigestLength + 2 + TagLength || max > 1 + NonceLength + MaxPlaintext + TagLength) return false;
        Span<byte> token = stackalloc byte[max];
        if (!Base64Url.TryDecodeFromChars(text, token, out int n)) return false;
        token = token[..n];
        if (n < 1 + NonceLength + CallIdDigestLength + 2 + TagLength || token[0] != Version) return false;
        Span<byte> mac = stackalloc byte[32];
        HmacSha256.Compute(_macKey, token[..^TagLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..TagLength], token[^TagLength..])) return false;
        Span<byte> plain = token[(1 + NonceLength)..^TagLength];
        XorKeyStream(token.Slice(1, NonceLength), plain);
        callIdDigest = BinaryPrimitives.ReadUInt64BigEndian(plain);
        ReadOnlySpan<byte> rest = plain[CallIdDigestLength..];
        int zero = rest.IndexOf((byte)0);
        if (zero <= 0 || zero == rest.Length - 1) return false;
        addressOfRecord = Encoding.UTF8.GetString(rest[..zero]);
        instanceId = "<" + Encoding.UTF8.GetString(rest[(zero + 1)..]) + ">";
        return true;
    }

    /// <summary>The digest of a registration's Call-ID that a temp-gruu carries, to compare with <see cref="TryOpen"/>'s.</summary>
    public ulong CallIdDigest(ReadOnlySpan<byte> callId)
    {
        Span<byte> d = stackalloc byte[CallIdDigestLength];
        CallIdDigest(callId, d);
        return BinaryPrimitives.ReadUInt64BigEndian(d);
    }

    private void CallIdDigest(ReadOnlySpan<byte> callId, Span<byte> into)
    {
        Span<byte> mac = stackalloc byte[32];
        HmacSha256.Compute(_macKey, callId, mac);
        mac[..CallIdDigestLength].CopyTo(into);
    }

    // HMAC-SHA-256 in counter mode as the keystream (a PRF-based stream cipher; the nonce never repeats in practice:
    // 96 random bits per token).
    private void XorKeyStream(ReadOnlySpan<byte> nonce, Span<byte> data)
    {
        Span<byte> input = stackalloc byte[NonceLength + 4];
        nonce.CopyTo(input);
        Span<byte> block = stackalloc byte[32];
        for (int at = 0, counter = 0; at < data.Length; at += 32, counter++)
        {
            BinaryPrimitives.WriteInt32BigEndian(input[NonceLength..], counter);
            HmacSha256.Compute(_encryptionKey, input, block);
            int n = Math.Min(32, data.Length - at);
            for (int i = 0; i < n; i++) data[at + i] ^= block[i];
        }
    }

    private static ReadOnlySpan<byte> StripBrackets(ReadOnlySpan<byte> instanceId) =>
        instanceId.Length >= 2 && instanceId[0] == (byte)'<' && instanceId[^1] == (byte)'>' ? instanceId[1..^1] : instanceId;
}
