// RTCP transmission interval with timer and reverse reconsideration (RFC 3550 §6.3, Appendix A.7), injected time and randomness.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Media.Rtcp;

/// <summary>
/// Decides when to send RTCP. Follows RFC 3550 §6.3: bandwidth share of 5 % of the session
/// bandwidth, 25 % of it for senders when they are at most a quarter of the members, a 5 s minimum
/// (half for the first report), a [0.5, 1.5] randomization and the e - 3/2 compensation; timer
/// reconsideration on expiry (§6.3.6) and reverse reconsideration when members leave (§6.3.4).
/// Time is injected in microseconds; randomness comes from the given <see cref="Random"/>.
/// </summary>
public sealed class RtcpScheduler
{
    /// <summary>RFC 3550 §6.2 minimum interval.</summary>
    public const double MinimumIntervalSeconds = 5.0;

    private const double Compensation = 2.71828 - 1.5;

    private readonly Random _random;
    private readonly double _rtcpBandwidth; // octets per second
    private long _tp;
    private long _tn;
    private int _pmembers;

    /// <summary>
    /// Creates the scheduler. <paramref name="sessionBandwidthBitsPerSecond"/> is the session
    /// bandwidth (e.g. from SDP b=AS); RTCP gets 5 % of it (§6.2). The first report is due at
    /// the returned <see cref="NextTransmissionUs"/>.
    /// </summary>
    public RtcpScheduler(double sessionBandwidthBitsPerSecond, int initialPacketSize, long nowUs, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sessionBandwidthBitsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialPacketSize);
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _rtcpBandwidth = sessionBandwidthBitsPerSecond * 0.05 / 8;
        // §6.3.2 initialization: tp = 0 (now), senders 0, pmembers = members = 1, initial = true,
        // avg_rtcp_size = the size of the first packet.
        _tp = nowUs;
        Members = 1;
        _pmembers = 1;
        AverageRtcpSize = initialPacketSize;
        Initial = true;
        _tn = nowUs + ComputeIntervalUs();
    }

    /// <summary>Members of the session, this participant included (§6.3: "members").</summary>
    public int Members { get; set; }

    /// <summary>Members that sent RTP in the last two report intervals (§6.3: "senders").</summary>
    public int Senders { get; set; }

    /// <summary>True when this participant sent RTP during the last two intervals (§6.3: "we_sent").</summary>
    public bool WeSent { get; set; }

    /// <summary>True until the first report has been sent.</summary>
    public bool Initial { get; private set; }

    /// <summary>Average compound RTCP packet size including UDP and IP headers, in octets (§6.3.3).</summary>
    public double AverageRtcpSize { get; private set; }

    /// <summary>When the next report is scheduled (§6.3: "tn").</summary>
    public long NextTransmissionUs => _tn;

    /// <summary>The deterministic part of the interval (before randomization), in seconds (§6.3.1 "Td").</summary>
    public double DeterministicIntervalSeconds
    {
        get
        {
            double minTime = Initial ? MinimumIntervalSeconds / 2 : MinimumIntervalSeconds;
            double bandwidth = _rtcpBandwidth;
            double n = Members;
            // §6.3.1: senders get 25 % of the RTCP bandwidth when they are at most 25 % of the members.
            if (Senders > 0 && Senders <= Members * 0.25)
            {
                if (WeSent)
                {
                    bandwidth *= 0.25;
                    n = Senders;
                }
                else
                {
                    bandwidth *= 0.75;
                    n -= Senders;
                }
            }

            double t = AverageRtcpSize * n / bandwidth;
            return Math.Max(t, minTime);
        }
    }

    /// <summary>
    /// Timer expiry (§6.3.6): returns true when a report should be sent now. Otherwise the timer
    /// has been moved to a later <see cref="NextTransmissionUs"/> (timer reconsideration).
    /// </summary>
    public bool OnTimer(long nowUs)
    {
        if (nowUs < _tn)
        {
            return false;
        }

        long t = ComputeIntervalUs();
        if (_tp + t <= nowUs)
        {
            return true;
        }

        _tn = _tp + t;
        return false;
    }

    /// <summary>
    /// Records that a compound packet of <paramref name="packetSizeWithHeaders"/> octets was sent
    /// at <paramref name="nowUs"/> and schedules the next one (§6.3.6).
    /// </summary>
    public void OnSent(int packetSizeWithHeaders, long nowUs)
    {
        UpdateAverageSize(packetSizeWithHeaders);
        _tp = nowUs;
        Initial = false;
        _tn = nowUs + ComputeIntervalUs();
        _pmembers = Members;
    }

    /// <summary>Records a received compound packet's size (§6.3.3: avg_rtcp_size).</summary>
    public void OnReceived(int packetSizeWithHeaders) => UpdateAverageSize(packetSizeWithHeaders);

    /// <summary>
    /// Reverse reconsideration after BYE or timeouts lowered <see cref="Members"/> (§6.3.4): pull
    /// tn and tp closer in proportion to the membership drop.
    /// </summary>
    public void OnMembersDecreased(long nowUs)
    {
        if (Members < _pmembers && _pmembers > 0)
        {
            double ratio = (double)Members / _pmembers;
            _tn = nowUs + (long)(ratio * (_tn - nowUs));
            _tp = nowUs - (long)(ratio * (nowUs - _tp));
            _pmembers = Members;
        }
    }

    private void UpdateAverageSize(int size) => AverageRtcpSize = (size / 16.0) + (15.0 / 16.0 * AverageRtcpSize);

    private long ComputeIntervalUs()
    {
        // §6.3.1: multiply by a random factor uniform in [0.5, 1.5], then divide by e - 3/2.
        double t = DeterministicIntervalSeconds * (_random.NextDouble() + 0.5) / Compensation;
        return (long)(t * 1_000_000);
    }
}
