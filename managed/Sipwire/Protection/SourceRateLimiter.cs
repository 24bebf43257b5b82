// Token buckets per source IP address in a bounded table.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Transport;

namespace Sipwire.Protection;

/// <summary>
/// One token bucket per source IP address (ports ignored: one host, one budget): it fills at
/// <c>rate</c> tokens per second up to <c>burst</c>, and each request takes one. At most
/// <c>maxSources</c> buckets exist; when the table is full, buckets that have refilled (idle sources)
/// are purged at most once per second, and sources that still find no room share one overflow bucket,
/// so a flood from spoofed addresses can neither grow memory nor starve sources already tracked.
/// </summary>
public sealed class SourceRateLimiter
{
    private readonly Dictionary<UInt128, Bucket> _buckets = [];
    private readonly double _ratePerMicro;
    private readonly double _burst;
    private readonly int _max;
    private readonly Bucket _overflow;
    private long _lastPurge = long.MinValue;

    /// <summary>Creates the limiter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is not positive.</exception>
    public SourceRateLimiter(double ratePerSecond, int burst, int maxSources)
    {
        if (!(ratePerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(ratePerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSources, 1);
        _ratePerMicro = ratePerSecond / 1_000_000.0;
        _burst = burst;
        _max = maxSources;
        _overflow = new Bucket(_burst, long.MinValue);
    }

    /// <summary>Sources tracked now.</summary>
    public int Count => _buckets.Count;

    /// <summary>Takes a token for <paramref name="source"/> at <paramref name="nowMicros"/>; false when its bucket is empty.</summary>
    public bool TryTake(in PeerAddress source, long nowMicros) => TryTake(KeyOf(source), nowMicros, out _);

    /// <summary>As <see cref="TryTake(in PeerAddress, long)"/>, also telling whether a limited source may get an answer now: one per <paramref name="replyIntervalMicros"/>, so the limiter never answers a flood packet for packet.</summary>
    public bool TryTake(in PeerAddress source, long nowMicros, long replyIntervalMicros, out bool mayReply)
    {
        bool ok = TryTake(KeyOf(source), nowMicros, out Bucket b);
        mayReply = false;
        if (!ok && (b.LastReply == long.MinValue || nowMicros - b.LastReply >= replyIntervalMicros))
        {
            b.LastReply = nowMicros;
            mayReply = true;
        }
        return ok;
    }

    private bool TryTake(UInt128 key, long now, out Bucket bucket)
    {
        if (!_buckets.TryGetValue(key, out Bucket? b))
        {
            if (_buckets.Count >= _max) Purge(now);
            if (_buckets.Count >= _max)
            {
                b = _overflow;
            }
            else
            {
                b = new Bucket(_burst, now);
                _buckets.Add(key, b);
            }
        }
        bucket = b;
        if (b.Stamp != long.MinValue && now > b.Stamp) b.Tokens = Math.Min(_burst, b.Tokens + (now - b.Stamp) * _ratePerMicro);
        b.Stamp = now;
        if (b.Tokens < 1) return false;
        b.Tokens -= 1;
        return true;
    }

    private void Purge(long now)
    {
        if (_lastPurge != long.MinValue && now - _lastPurge < 1_000_000) return;
        _lastPurge = now;
        var idle = new List<UInt128>();
        foreach (KeyValuePair<UInt128, Bucket> e in _buckets)
        {
            if (e.Value.Tokens + (now - e.Value.Stamp) * _ratePerMicro >= _burst) idle.Add(e.Key);
        }
        foreach (UInt128 k in idle) _buckets.Remove(k);
    }

    private static UInt128 KeyOf(in PeerAddress source)
    {
        Span<byte> a = stackalloc byte[16];
        int n = source.WriteAddressBytes(a);
        UInt128 key = n == 4 ? 0xFFFF_0000_0000u : 0; // IPv4 keys in the IPv4-mapped space
        for (int i = 0; i < n; i++) key = (key << 8) | a[i];
        return key;
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens = tokens;
        public long Stamp = stamp;
        public long LastReply = long.MinValue;
    }
}
