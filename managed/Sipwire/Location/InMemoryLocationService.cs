// The default location service: a bounded in-process table of bindings per address-of-record.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Threading;

namespace Sipwire.Location;

/// <summary>
/// Bindings in a dictionary from address-of-record to an array of bindings sorted by q. Per
/// registration it holds one dictionary entry, the key, a one-element array, the binding and its packed
/// text - nothing else. Thread-safe (one lock), so a proxy thread may look up while a registrar writes.
/// </summary>
public sealed class InMemoryLocationService : ILocationService
{
    private readonly Dictionary<string, LocationBinding[]> _table;
    private readonly List<LocationBinding> _scratch = [];
    private readonly Lock _lock = new();
    private long _lastFullPurgeMs;
    private bool _purgedWhenFull;

    /// <summary>Creates an empty table with the given bounds.</summary>
    public InMemoryLocationService(LocationLimits? limits = null)
    {
        Limits = limits ?? LocationLimits.Default;
        Limits.Validate();
        _table = new Dictionary<string, LocationBinding[]>(StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public LocationLimits Limits { get; }

    /// <inheritdoc/>
    public int AddressOfRecordCount
    {
        get
        {
            lock (_lock) return _table.Count;
        }
    }

    /// <inheritdoc/>
    public LocationUpdateStatus Update(string addressOfRecord, ReadOnlySpan<LocationBinding> changes, bool removeAll,
        ReadOnlySpan<byte> callId, uint cseq, long nowMs, List<LocationBinding>? current)
    {
        ArgumentException.ThrowIfNullOrEmpty(addressOfRecord);
        lock (_lock)
        {
            bool known = _table.TryGetValue(addressOfRecord, out LocationBinding[]? stored);
            LocationUpdateStatus status = LocationMerge.Apply(stored ?? [], changes, removeAll, callId, cseq, nowMs,
                Limits.MaxBindingsPerAddressOfRecord, _scratch);
            if (status != LocationUpdateStatus.Ok) return status;
            if (_scratch.Count == 0)
            {
                if (known) _table.Remove(addressOfRecord);
            }
            else
            {
                if (!known && _table.Count >= Limits.MaxAddressesOfRecord)
                {
                    // Expired entries still occupy the table until purged; a full table purges at most
                    // once a second so that a flood of new addresses cannot make every REGISTER scan it.
                    if (!_purgedWhenFull || nowMs - _lastFullPurgeMs >= 1000)
                    {
                        _purgedWhenFull = true;
                        _lastFullPurgeMs = nowMs;
                        PurgeLocked(nowMs);
                    }
                    if (_table.Count >= Limits.MaxAddressesOfRecord) return LocationUpdateStatus.TableFull;
                }
                _table[addressOfRecord] = _scratch.ToArray();
            }
            current?.AddRange(_scratch);
            _scratch.Clear();
            return LocationUpdateStatus.Ok;
        }
    }

    /// <inheritdoc/>
    public int Lookup(string addressOfRecord, long nowMs, List<LocationBinding> into)
    {
        ArgumentException.ThrowIfNullOrEmpty(addressOfRecord);
        ArgumentNullException.ThrowIfNull(into);
        int n = 0;
        lock (_lock)
        {
            if (!_table.TryGetValue(addressOfRecord, out LocationBinding[]? stored)) return 0;
            foreach (LocationBinding b in stored)
            {
                if (b.ExpiresAtMs <= nowMs) continue;
                into.Add(b);
                n++;
            }
        }
        return n;
    }

    /// <inheritdoc/>
    public int RemoveAll(string addressOfRecord, long nowMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(addressOfRecord);
        lock (_lock)
        {
            if (!_table.Remove(addressOfRecord, out LocationBinding[]? stored)) return 0;
            int live = 0;
            foreach (LocationBinding b in stored)
            {
                if (b.ExpiresAtMs > nowMs) live++;
            }
            return live;
        }
    }

    /// <inheritdoc/>
    public int PurgeExpired(long nowMs)
    {
        lock (_lock) return PurgeLocked(nowMs);
    }

    private int PurgeLocked(long nowMs)
    {
        int dropped = 0;
        // Dictionary allows Remove while enumerating (.NET Core 3.0+); replacing a value is not allowed, so collect those.
        List<KeyValuePair<string, LocationBinding[]>>? shrunk = null;
        foreach (KeyValuePair<string, LocationBinding[]> e in _table)
        {
            int live = 0;
            foreach (LocationBinding b in e.Value)
            {
                if (b.ExpiresAtMs > nowMs) live++;
            }
            if (live == e.Value.Length) continue;
            dropped += e.Value.Length - live;
            if (live == 0)
            {
                _table.Remove(e.Key);
                continue;
            }
            var keep = new LocationBinding[live];
            int k = 0;
            foreach (LocationBinding b in e.Value)
            {
                if (b.ExpiresAtMs > nowMs) keep[k++] = b;
            }
            (shrunk ??= []).Add(new KeyValuePair<string, LocationBinding[]>(e.Key, keep));
        }
        if (shrunk is not null)
        {
            foreach (KeyValuePair<string, LocationBinding[]> e in shrunk) _table[e.Key] = e.Value;
        }
        return dropped;
    }
}
