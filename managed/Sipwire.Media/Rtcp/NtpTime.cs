// 64-bit NTP timestamps for RTCP sender reports (RFC 3550 §4) from injected Unix time.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Rtcp;

/// <summary>NTP timestamp helpers: seconds since 1900 in the high 32 bits, binary fraction in the low 32 (RFC 3550 §4).</summary>
public static class NtpTime
{
    /// <summary>Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (Unix epoch).</summary>
    public const ulong UnixEpochOffsetSeconds = 2_208_988_800;

    /// <summary>Converts Unix time in microseconds to a 64-bit NTP timestamp.</summary>
    public static ulong FromUnixMicroseconds(long unixUs)
    {
        ulong seconds = (ulong)(unixUs / 1_000_000) + UnixEpochOffsetSeconds;
        ulong micros = (ulong)(unixUs % 1_000_000);
        ulong fraction = (micros << 32) / 1_000_000;
        return (seconds << 32) | fraction;
    }

    /// <summary>The middle 32 bits of an NTP timestamp (the compact form used by LSR, RFC 3550 §6.4.1).</summary>
    public static uint Middle32(ulong ntp) => (uint)(ntp >> 16);

    /// <summary>Converts a compact (16.16) NTP interval to microseconds.</summary>
    public static long CompactToMicroseconds(uint compact) => (long)((ulong)compact * 1_000_000 >> 16);
}
