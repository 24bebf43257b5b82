// SRTP and SRTCP protect/unprotect for AES_CM_128_HMAC_SHA1_80/_32 (RFC 3711), in place and allocation-free.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Threading;

namespace Sipwire.Media.Srtp;

/// <summary>
/// One direction of an SRTP session (RFC 3711 §3.2): the session keys derived from one master
/// key, and per-SSRC state (rollover counter, replay windows, SRTCP index) for up to a fixed number
/// of sources. Use one context to protect what we send and another, with the peer's key, to
/// unprotect what we receive. Operations work in place on the caller's buffer and allocate
/// nothing in steady state. Not thread-safe: one media thread owns it.
/// </summary>
public sealed class SrtpContext : IDisposable
{
    /// <summary>Length of the SRTCP E-flag and index word (RFC 3711 §3.4).</summary>
    public const int SrtcpIndexLength = 4;

    private const int SrtcpTagLength = 10;

    private readonly AesCounterMode _rtpCipher;
    private readonly AesCounterMode _rtcpCipher;
    private readonly IncrementalHash _rtpAuth;
    private readonly IncrementalHash _rtcpAuth;
    private readonly byte[] _rtpSalt = new byte[14];
    private readonly byte[] _rtcpSalt = new byte[14];
    private readonly byte[] _mki;
    private readonly SrtpStream[] _streams;
    private readonly ulong _lifetime;
    private readonly int _rtpTagLength;
    private ulong _packetsUsed;
    private long _authenticationFailures;
    private long _replayRejections;
    private long _malformed;
    private bool _disposed;

    /// <summary>
    /// Creates a context from a 16-octet master key and 14-octet master salt (key derivation
    /// rate 0). <paramref name="mki"/> (0-128 octets) is written into / expected in every packet.
    /// </summary>
    public SrtpContext(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt,
        ReadOnlySpan<byte> mki = default, ulong lifetime = SrtpKeyParams.MaxLifetime, int maxStreams = 8)
    {
        if (profile is not SrtpProfile.AesCm128HmacSha1Tag80 and not SrtpProfile.AesCm128HmacSha1Tag32)
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP profile.");
        }

        if (masterKey.Length != SrtpKeyParams.MasterKeyLength || masterSalt.Length != SrtpKeyParams.MasterSaltLength)
        {
            throw new ArgumentException("AES_CM_128 suites take a 16-octet master key and a 14-octet master salt.");
        }

        if (mki.Length > 128)
        {
            throw new ArgumentException("The MKI is at most 128 octets (RFC 4568 §6.1).", nameof(mki));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxStreams);
        ArgumentOutOfRangeException.ThrowIfZero(lifetime);
        Profile = profile;
        _rtpTagLength = profile == SrtpProfile.AesCm128HmacSha1Tag80 ? 10 : 4;
        _mki = mki.ToArray();
        _lifetime = lifetime;
        _streams = new SrtpStream[maxStreams];
        for (int i = 0; i < _streams.Length; i++)
        {
            _streams[i] = new SrtpStream();
        }

        // RFC 3711 §4.3: six session keys from the master key; §4.2.1: n_a = 160 bits for HMAC-SHA1.
        Span<byte> key = stackalloc byte[16];
        Span<byte> authKey = stackalloc byte[20];
        using (var prf = new AesCounterMode(masterKey))
        {
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpEncryption, key);
            _rtpCipher = new AesCounterMode(key);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpSalt, _rtpSalt);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpAuthentication, authKey);
            _rtpAuth = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, authKey);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpEncryption, key);
            _rtcpCipher = new AesCounterMode(key);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpSalt, _rtcpSalt);
            SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpAuthentication, authKey);
            _rtcpAuth = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, authKey);
        }

        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(authKey);
    }

    /// <summary>Creates a context from parsed SDES key-params (RFC 4568).</summary>
    public SrtpContext(SrtpProfile profile, SrtpKeyParams keyParams, int maxStreams = 8)
        : this(profile, (keyParams ?? throw new ArgumentNullException(nameof(keyParams))).MasterKey, keyParams.MasterSalt,
               keyParams.Mki, keyParams.Lifetime, maxStreams)
    {
    }

    /// <summary>The crypto suite.</summary>
    public SrtpProfile Profile { get; }

    /// <summary>Octets SRTP adds to an RTP packet (MKI and tag).</summary>
    public int RtpOverhead => _mki.Length + _rtpTagLength;

    /// <summary>Octets SRTCP adds to an RTCP packet (index word, MKI and tag).</summary>
    public int RtcpOverhead => SrtcpIndexLength + _mki.Length + SrtcpTagLength;

    /// <summary>Packets rejected because their tag did not verify (wrong key or tampering).</summary>
    public long AuthenticationFailures => Interlocked.Read(ref _authenticationFailures);

    /// <summary>Packets rejected by the replay window.</summary>
    public long ReplayRejections => Interlocked.Read(ref _replayRejections);

    /// <summary>Packets rejected as malformed (too short, bad header, unknown MKI).</summary>
    public long MalformedPackets => Interlocked.Read(ref _malformed);

    /// <summary>
    /// Protects the RTP packet in <paramref name="buffer"/>[0..<paramref name="length"/>) in place:
    /// encrypts the payload and appends MKI and tag. <paramref name="buffer"/> must have room for
    /// <see cref="RtpOverhead"/> more octets.
    /// </summary>
    public SrtpStatus ProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length || !TryGetRtpHeaderLength(buffer[..length], out int headerLength))
        {
            return SrtpStatus.Malformed;
        }

        if (buffer.Length - length < RtpOverhead)
        {
            return SrtpStatus.BufferTooSmall;
        }

        if (_packetsUsed >= _lifetime)
        {
            return SrtpStatus.KeyExpired;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(8, 4));
        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(buffer.Slice(2, 2));
        SrtpStream? stream = FindStream(ssrc) ?? AddStream(ssrc);
        if (stream is null)
        {
            return SrtpStatus.TooManyStreams;
        }

        ulong index = stream.EstimateIndex(sequence, out uint roc);
        if (stream.RtpStarted && roc == 0 && stream.Roc == uint.MaxValue)
        {
            // §3.3.1: the 48-bit index must never repeat under one key.
            return SrtpStatus.KeyExpired;
        }

        // Refuse to protect an index twice: that would reuse keystream (RFC 3711 §9.1).
        SrtpStatus replay = stream.RtpReplay.Check(index);
        if (replay != SrtpStatus.Ok)
        {
            return replay;
        }

        Span<byte> iv = stackalloc byte[16];
        BuildIv(_rtpSalt, ssrc, index, iv);
        _rtpCipher.Transform(iv, buffer[headerLength..length]);

        _mki.CopyTo(buffer[length..]);
        Span<byte> tag = stackalloc byte[20];
        ComputeRtpTag(buffer[..length], roc, tag);
        tag[.._rtpTagLength].CopyTo(buffer[(length + _mki.Length)..]);

        stream.CommitIndex(sequence, roc);
        stream.RtpReplay.Add(index);
        _packetsUsed++;
        protectedLength = length + RtpOverhead;
        return SrtpStatus.Ok;
    }

    /// <summary>
    /// Verifies and decrypts the SRTP packet in <paramref name="buffer"/>[0..<paramref name="length"/>)
    /// in place. On <see cref="SrtpStatus.Ok"/>, <paramref name="rtpLength"/> is the plain RTP
    /// packet length; on any other status the packet must be dropped (the buffer is unchanged).
    /// </summary>
    public SrtpStatus UnprotectRtp(Span<byte> buffer, int length, out int rtpLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        rtpLength = 0;
        int authenticatedLength = length - RtpOverhead;
        if ((uint)length > (uint)buffer.Length || authenticatedLength < 12
            || !TryGetRtpHeaderLength(buffer[..authenticatedLength], out int headerLength))
        {
            Interlocked.Increment(ref _malformed);
            return SrtpStatus.Malformed;
        }

        if (!buffer.Slice(authenticatedLength, _mki.Length).SequenceEqual(_mki))
        {
            Interlocked.Increment(ref _malformed);
            return SrtpStatus.UnknownMki;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(8, 4));
        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(buffer.Slice(2, 2));
        SrtpStream? stream = FindStream(ssrc);
        uint roc = 0;
        ulong index = sequence;
        if (stream is not null)
        {
            index = stream.EstimateIndex(sequence, out roc);
            SrtpStatus replay = stream.RtpReplay.Check(index);
            if (replay != SrtpStatus.Ok)
            {
                Interlocked.Increment(ref _replayRejections);
                return replay;
            }
        }

        // §3.3: authenticate before anything else changes (and before any state is created, so a
        // forged packet cannot take a stream slot).
        Span<byte> tag = stackalloc byte[20];
        ComputeRtpTag(buffer[..authenticatedLength], roc, tag);
        if (!CryptographicOperations.FixedTimeEquals(tag[.._rtpTagLength], buffer.Slice(authenticatedLength + _mki.Length, _rtpTagLength)))
        {
            Interlocked.Increment(ref _authenticationFailures);
            return SrtpStatus.AuthenticationFailed;
        }

        if (stream is null)
        {
            stream = AddStream(ssrc);
            if (stream is null)
            {
                return SrtpStatus.TooManyStreams;
            }
        }

        Span<byte> iv = stackalloc byte[16];
        BuildIv(_rtpSalt, ssrc, index, iv);
        _rtpCipher.Transform(iv, buffer[headerLength..authenticatedLength]);
        stream.CommitIndex(sequence, roc);
        stream.RtpReplay.Add(index);
        rtpLength = authenticatedLength;
        return SrtpStatus.Ok;
    }

    /// <summary>
    /// Protects the RTCP compound packet in <paramref name="buffer"/>[0..<paramref name="length"/>)
    /// in place (RFC 3711 §3.4): encrypts after the first 8 octets, appends E flag + SRTCP index,
    /// MKI and the 80-bit tag. Room for <see cref="RtcpOverhead"/> more octets is needed.
    /// </summary>
    public SrtpStatus ProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length || length < 8 || (buffer[0] >> 6) != 2)
        {
            return SrtpStatus.Malformed;
        }

        if (buffer.Length - length < RtcpOverhead)
        {
            return SrtpStatus.BufferTooSmall;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(4, 4));
        SrtpStream? stream = FindStream(ssrc) ?? AddStream(ssrc);
        if (stream is null)
        {
            return SrtpStatus.TooManyStreams;
        }

        // §3.4: 31-bit SRTCP index; it must not wrap under one key (§9.2: 2^31 SRTCP packets).
        uint index = stream.RtcpIndex;
        if (index > 0x7FFFFFFF)
        {
            return SrtpStatus.KeyExpired;
        }

        Span<byte> iv = stackalloc byte[16];
        BuildIv(_rtcpSalt, ssrc, index, iv);
        _rtcpCipher.Transform(iv, buffer[8..length]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(length, 4), 0x80000000u | index);
        int authenticated = length + SrtcpIndexLength;
        _mki.CopyTo(buffer[authenticated..]);
        Span<byte> tag = stackalloc byte[20];
        _rtcpAuth.AppendData(buffer[..authenticated]);
        _rtcpAuth.TryGetHashAndReset(tag, out _);
        tag[..SrtcpTagLength].CopyTo(buffer[(authenticated + _mki.Length)..]);
        stream.RtcpIndex = index + 1;
        protectedLength = authenticated + _mki.Length + SrtcpTagLength;
        return SrtpStatus.Ok;
    }

    /// <summary>
    /// Verifies and (when the E flag is set) decrypts the SRTCP packet in place. On
    /// <see cref="SrtpStatus.Ok"/>, <paramref name="rtcpLength"/> is the plain compound length.
    /// </summary>
    public SrtpStatus UnprotectRtcp(Span<byte> buffer, int length, out int rtcpLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        rtcpLength = 0;
        int authenticated = length - _mki.Length - SrtcpTagLength;
        if ((uint)length > (uint)buffer.Length || authenticated < 8 + SrtcpIndexLength || (buffer[0] >> 6) != 2)
        {
            Interlocked.Increment(ref _malformed);
            return SrtpStatus.Malformed;
        }

        if (!buffer.Slice(authenticated, _mki.Length).SequenceEqual(_mki))
        {
            Interlocked.Increment(ref _malformed);
            return SrtpStatus.UnknownMki;
        }

        uint word = BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(authenticated - 4, 4));
        uint index = word & 0x7FFFFFFF;
        bool encrypted = (word & 0x80000000u) != 0;
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(4, 4));
        SrtpStream? stream = FindStream(ssrc);
        if (stream is not null)
        {
            SrtpStatus replay = stream.RtcpReplay.Check(index);
            if (replay != SrtpStatus.Ok)
            {
                Interlocked.Increment(ref _replayRejections);
                return replay;
            }
        }

        Span<byte> tag = stackalloc byte[20];
        _rtcpAuth.AppendData(buffer[..authenticated]);
        _rtcpAuth.TryGetHashAndReset(tag, out _);
        if (!CryptographicOperations.FixedTimeEquals(tag[..SrtcpTagLength], buffer.Slice(authenticated + _mki.Length, SrtcpTagLength)))
        {
            Interlocked.Increment(ref _authenticationFailures);
            return SrtpStatus.AuthenticationFailed;
        }

        if (stream is null)
        {
            stream = AddStream(ssrc);
            if (stream is null)
            {
                return SrtpStatus.TooManyStreams;
            }
        }

        int plainLength = authenticated - SrtcpIndexLength;
        if (encrypted)
        {
            Span<byte> iv = stackalloc byte[16];
            BuildIv(_rtcpSalt, ssrc, index, iv);
            _rtcpCipher.Transform(iv, buffer[8..plainLength]);
        }

        stream.RtcpReplay.Add(index);
        rtcpLength = plainLength;
        return SrtpStatus.Ok;
    }

    /// <summary>Forgets the state of a source (after its RTCP BYE), freeing its slot.</summary>
    public void RemoveStream(uint ssrc)
    {
        SrtpStream? stream = FindStream(ssrc);
        if (stream is not null)
        {
            stream.InUse = false;
        }
    }

    /// <summary>The rollover counter of <paramref name="ssrc"/>, if the context tracks it.</summary>
    public bool TryGetRolloverCounter(uint ssrc, out uint roc)
    {
        SrtpStream? stream = FindStream(ssrc);
        roc = stream?.Roc ?? 0;
        return stream is not null;
    }

    /// <summary>
    /// Sets the rollover counter and highest sequence of <paramref name="ssrc"/>, e.g. when joining a
    /// stream in progress whose ROC was signaled (RFC 3711 §3.3.1).
    /// </summary>
    public bool SetRolloverCounter(uint ssrc, uint roc, ushort highestSequence)
    {
        SrtpStream? stream = FindStream(ssrc) ?? AddStream(ssrc);
        if (stream is null)
        {
            return false;
        }

        stream.Roc = roc;
        stream.HighestSequence = highestSequence;
        stream.RtpStarted = true;
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _rtpCipher.Dispose();
        _rtcpCipher.Dispose();
        _rtpAuth.Dispose();
        _rtcpAuth.Dispose();
        CryptographicOperations.ZeroMemory(_rtpSalt);
        CryptographicOperations.ZeroMemory(_rtcpSalt);
    }

    /// <summary>RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16).</summary>
    internal static void BuildIv(ReadOnlySpan<byte> salt, uint ssrc, ulong index, Span<byte> iv)
    {
        salt.CopyTo(iv);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        iv[8] ^= (byte)(index >> 40);
        iv[9] ^= (byte)(index >> 32);
        iv[10] ^= (byte)(index >> 24);
        iv[11] ^= (byte)(index >> 16);
        iv[12] ^= (byte)(index >> 8);
        iv[13] ^= (byte)index;
    }

    private static bool TryGetRtpHeaderLength(ReadOnlySpan<byte> packet, out int headerLength)
    {
        // The padding octet is encrypted in SRTP, so only version, CSRCs and extension are checked here.
        headerLength = 0;
        if (packet.Length < 12 || (packet[0] >> 6) != 2)
        {
            return false;
        }

        int length = 12 + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return false;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(length + 2, 2)));
        }

        if (length > packet.Length)
        {
            return false;
        }

        headerLength = length;
        return true;
    }

    private void ComputeRtpTag(ReadOnlySpan<byte> authenticatedPortion, uint roc, Span<byte> tag)
    {
        // §4.2: M = Authenticated Portion || ROC, the ROC in network order.
        Span<byte> rocBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        _rtpAuth.AppendData(authenticatedPortion);
        _rtpAuth.AppendData(rocBytes);
        _rtpAuth.TryGetHashAndReset(tag, out _);
    }

    private SrtpStream? FindStream(uint ssrc)
    {
        foreach (SrtpStream s in _streams)
        {
            if (s.InUse && s.Ssrc == ssrc)
            {
                return s;
            }
        }

        return null;
    }

    private SrtpStream? AddStream(uint ssrc)
    {
        foreach (SrtpStream s in _streams)
        {
            if (!s.InUse)
            {
                s.Reset(ssrc);
                return s;
            }
        }

        return null;
    }
}
