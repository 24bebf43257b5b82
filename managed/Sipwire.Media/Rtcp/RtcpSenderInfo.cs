// The sender information section of an RTCP SR (RFC 3550 §6.4.1).
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Rtcp;

/// <summary>The sender info of an SR.</summary>
/// <param name="Ssrc">The sender.</param>
/// <param name="NtpTimestamp">Wall-clock time when the report was sent (64-bit NTP).</param>
/// <param name="RtpTimestamp">The same instant in RTP timestamp units.</param>
/// <param name="PacketCount">Packets sent since the start of transmission.</param>
/// <param name="OctetCount">Payload octets sent since the start of transmission.</param>
public readonly record struct RtcpSenderInfo(uint Ssrc, ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount);
