// RFC 4733 telephone-event receiver: one start and one end per event, duplicates and redundant end packets suppressed by timestamp.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Media.Dtmf;

/// <summary>
/// Turns received telephone-event packets into begin/end notifications. An event is identified
/// by its RTP timestamp (RFC 4733 §2.5.2.1): updates and the (redundant) end packets of an event
/// already reported are ignored; a packet for a new timestamp ends the previous event if its end
/// was lost; an event whose end packets were all lost is ended by <see cref="Poll"/> after a
/// timeout (§2.5.2.2 suggests waiting a few packet times).
/// </summary>
public sealed class DtmfReceiver
{
    private const int RecentCount = 8;

    private readonly long _timeoutUs;
    private readonly uint[] _recentEnded = new uint[RecentCount];
    private int _recentPos;
    private int _recentCount;
    private bool _active;
    private byte _event;
    private uint _timestamp;
    private ushort _duration;
    private long _lastUpdateUs;

    /// <summary>Creates a receiver; an event without an end packet ends after <paramref name="timeoutUs"/> of silence.</summary>
    public DtmfReceiver(long timeoutUs = 200_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timeoutUs);
        _timeoutUs = timeoutUs;
    }

    /// <summary>Packets ignored as duplicates or redundant end packets.</summary>
    public long Duplicates { get; private set; }

    /// <summary>
    /// Handles one telephone-event payload with its RTP timestamp. Writes up to 3 notifications
    /// (end of a previous event, begin, end) to <paramref name="notifications"/> and returns their count.
    /// A payload shorter than 4 octets is ignored (returns 0).
    /// </summary>
    public int OnPacket(ReadOnlySpan<byte> payload, uint timestamp, long nowUs, Span<DtmfNotification> notifications)
    {
        if (notifications.Length < 3)
        {
            throw new ArgumentException("Room for 3 notifications is needed.", nameof(notifications));
        }

        if (!TelephoneEvent.TryRead(payload, out TelephoneEvent ev))
        {
            return 0;
        }

        int count = 0;
        if (WasEnded(timestamp))
        {
            Duplicates++;
            return 0;
        }

        if (_active && timestamp != _timestamp)
        {
            if ((int)(timestamp - _timestamp) < 0)
            {
                // An old packet from an earlier event: never re-report it.
                Duplicates++;
                return 0;
            }

            // A new event while the previous one had no end: its end packets were lost.
            notifications[count++] = EndCurrent();
        }

        if (!_active)
        {
            _active = true;
            _event = ev.Event;
            _timestamp = timestamp;
            _duration = ev.Duration;
            notifications[count++] = new DtmfNotification(false, ev.Event, timestamp, ev.Duration);
        }
        else if (ev.Duration > _duration)
        {
            _duration = ev.Duration;
        }
        else if (!ev.End)
        {
            Duplicates++;
        }

        _lastUpdateUs = nowUs;
        if (ev.End)
        {
            _duration = Math.Max(_duration, ev.Duration);
            notifications[count++] = EndCurrent();
        }

        return count;
    }

    /// <summary>Ends an event whose end packets never came; returns true and the notification when it did.</summary>
    public bool Poll(long nowUs, out DtmfNotification notification)
    {
        if (_active && nowUs - _lastUpdateUs >= _timeoutUs)
        {
            notification = EndCurrent();
            return true;
        }

        notification = default;
        return false;
    }

    private DtmfNotification EndCurrent()
    {
        _active = false;
        _recentEnded[_recentPos] = _timestamp;
        _recentPos = (_recentPos + 1) % RecentCount;
        _recentCount = Math.Min(_recentCount + 1, RecentCount);
        return new DtmfNotification(true, _event, _timestamp, _duration);
    }

    private bool WasEnded(uint timestamp)
    {
        for (int i = 0; i < _recentCount; i++)
        {
            if (_recentEnded[i] == timestamp)
            {
                return true;
            }
        }

        return false;
    }
}
