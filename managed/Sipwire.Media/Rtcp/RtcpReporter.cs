// Builds this participant's RTCP compound reports (SR or RR + SDES CNAME, BYE) and digests the peer's (LSR, RTT, BYE).
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using Sipwire.Media.Rtp;

namespace Sipwire.Media.Rtcp;

/// <summary>
/// The RTCP side of one RTP session for a phone: one outgoing stream and a bounded number of
/// remote sources. <see cref="WriteReport"/> produces an SR when we sent RTP since the last report
/// (RFC 3550 §6.4: "SR ... if the site has sent any data packets during the interval"), otherwise
/// an RR, each followed by the SDES CNAME (§6.1); <see cref="OnCompound"/> records the peer's SR
/// (for LSR/DLSR), the reception reports about our stream (loss, jitter, round-trip time), and BYE.
/// </summary>
public sealed class RtcpReporter
{
    private readonly RtpSender _sender;
    private readonly byte[] _cname;
    private readonly RtpSource?[] _sources;
    private readonly RtcpReportBlock[] _blocks;
    private uint _packetsAtLastReport;
    private byte[] _remoteCname = [];

    /// <summary>Creates a reporter for <paramref name="sender"/> with the given CNAME (e.g. "user@host", §6.5.1).</summary>
    public RtcpReporter(RtpSender sender, string cname, int maxSources = 4)
    {
        _sender = sender ?? throw new ArgumentNullException(nameof(sender));
        ArgumentException.ThrowIfNullOrEmpty(cname);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSources);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSources, 31);
        _cname = Encoding.UTF8.GetBytes(cname);
        if (_cname.Length > 255)
        {
            throw new ArgumentException("The CNAME is at most 255 octets.", nameof(cname));
        }

        _sources = new RtpSource?[maxSources];
        _blocks = new RtcpReportBlock[maxSources];
    }

    /// <summary>The last reception report the peer sent about our stream.</summary>
    public RtcpReportBlock? LastRemoteReport { get; private set; }

    /// <summary>The last round-trip time measured from a reception report (RFC 3550 §6.4.1), in microseconds.</summary>
    public long? RoundTripUs { get; private set; }

    /// <summary>The peer's CNAME (empty until an SDES arrived).</summary>
    public string RemoteCname { get; private set; } = "";

    /// <summary>Sources that sent a BYE.</summary>
    public int ByesReceived { get; private set; }

    /// <summary>Registers a remote source so its reception statistics are reported; false when the table is full.</summary>
    public bool AddSource(RtpSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        for (int i = 0; i < _sources.Length; i++)
        {
            if (_sources[i] is null || _sources[i]!.Ssrc == source.Ssrc)
            {
                _sources[i] = source;
                return true;
            }
        }

        return false;
    }

    /// <summary>The registered source with <paramref name="ssrc"/>, if any.</summary>
    public RtpSource? FindSource(uint ssrc)
    {
        foreach (RtpSource? s in _sources)
        {
            if (s is not null && s.Ssrc == ssrc)
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>
    /// Writes SR or RR with one report block per valid source, then SDES CNAME; with
    /// <paramref name="bye"/>, appends a BYE (§6.6). Returns the length, or -1 if it does not fit.
    /// </summary>
    public int WriteReport(Span<byte> destination, long nowUnixUs, bool bye = false)
    {
        int count = 0;
        foreach (RtpSource? s in _sources)
        {
            if (s is not null && s.IsValid)
            {
                _blocks[count++] = s.CreateReportBlock(nowUnixUs);
            }
        }

        var writer = new RtcpWriter(destination);
        ReadOnlySpan<RtcpReportBlock> blocks = _blocks.AsSpan(0, count);
        bool sent = _sender.PacketCount != _packetsAtLastReport;
        bool ok = sent
            ? writer.WriteSenderReport(new RtcpSenderInfo(_sender.Ssrc, NtpTime.FromUnixMicroseconds(nowUnixUs), _sender.TimestampAt(nowUnixUs), _sender.PacketCount, _sender.OctetCount), blocks)
            : writer.WriteReceiverReport(_sender.Ssrc, blocks);
        ok = ok && writer.WriteSdesCname(_sender.Ssrc, _cname);
        if (ok && bye)
        {
            Span<uint> ssrc = [_sender.Ssrc];
            ok = writer.WriteBye(ssrc);
        }

        if (!ok)
        {
            return -1;
        }

        _packetsAtLastReport = _sender.PacketCount;
        return writer.Written;
    }

    /// <summary>
    /// Digests a received (decrypted) compound packet. Returns the validation result; an invalid
    /// compound changes nothing.
    /// </summary>
    public RtcpParseError OnCompound(ReadOnlySpan<byte> compound, long nowUnixUs)
    {
        RtcpParseError error = RtcpCompoundReader.Validate(compound);
        if (error != RtcpParseError.None)
        {
            return error;
        }

        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out RtcpPacket packet))
        {
            switch ((RtcpPacketType)packet.PacketType)
            {
                case RtcpPacketType.SenderReport:
                    if (packet.TryGetSenderInfo(out RtcpSenderInfo info))
                    {
                        FindSource(info.Ssrc)?.OnSenderReport(info.NtpTimestamp, nowUnixUs);
                    }

                    ReadBlocks(packet, nowUnixUs);
                    break;
                case RtcpPacketType.ReceiverReport:
                    ReadBlocks(packet, nowUnixUs);
                    break;
                case RtcpPacketType.SourceDescription:
                    // Only a changed CNAME is decoded: steady-state reports allocate nothing.
                    if (packet.TryGetCname(packet.Ssrc, out ReadOnlySpan<byte> cname) && !cname.SequenceEqual(_remoteCname))
                    {
                        _remoteCname = cname.ToArray();
                        RemoteCname = Encoding.UTF8.GetString(cname);
                    }

                    break;
                case RtcpPacketType.Bye:
                    for (int i = 0; i < packet.Count; i++)
                    {
                        uint ssrc = packet.GetByeSsrc(i);
                        for (int k = 0; k < _sources.Length; k++)
                        {
                            if (_sources[k]?.Ssrc == ssrc)
                            {
                                _sources[k] = null;
                                ByesReceived++;
                            }
                        }
                    }

                    break;
            }
        }

        return RtcpParseError.None;
    }

    private void ReadBlocks(RtcpPacket packet, long nowUnixUs)
    {
        for (int i = 0; i < packet.ReportBlockCount; i++)
        {
            RtcpReportBlock block = packet.GetReportBlock(i);
            if (block.Ssrc == _sender.Ssrc)
            {
                LastRemoteReport = block;
                if (block.RoundTripMicroseconds(nowUnixUs) is long rtt)
                {
                    RoundTripUs = rtt;
                }
            }
        }
    }
}
