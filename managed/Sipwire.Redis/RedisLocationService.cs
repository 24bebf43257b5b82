// A location service in Redis: one value per address-of-record, changed by optimistic transactions.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Threading;
using Sipwire.Location;
using StackExchange.Redis;

namespace Sipwire.Redis;

/// <summary>
/// Bindings of each address-of-record in one Redis string (<see cref="LocationRecordCodec"/>), plus a set
/// of the addresses for counting and purging. An update reads the value, merges with the RFC 3261
/// §10.3 rules (<see cref="LocationMerge"/>) and writes it back in a MULTI/EXEC that only commits if the
/// value is still what was read, retrying on conflict - so registrars on several nodes never lose or
/// reorder each other's changes. <c>nowMs</c> must be Unix time in milliseconds on every node (the
/// bindings' expiry is shared); each value also carries a Redis TTL past its last expiry so a store
/// that nobody purges still empties itself. Thread-safe (the multiplexer is).
/// </summary>
public sealed class RedisLocationService : ILocationService
{
    private const int MaxAttempts = 16;
    // Keys outlive their last binding a little, so clock skew between nodes never drops a live binding.
    private static readonly TimeSpan s_ttlGrace = TimeSpan.FromMinutes(1);
    private readonly IDatabase _db;
    private readonly string _prefix;
    private readonly RedisKey _members;
    private readonly System.Threading.Lock _purgeLock = new();
    private long _lastFullPurgeMs;
    private bool _purgedWhenFull;

    /// <summary>Uses <paramref name="redis"/> with keys under <paramref name="keyPrefix"/> (several tables can share a server).</summary>
    public RedisLocationService(IConnectionMultiplexer redis, string keyPrefix = "sipwire:location:", LocationLimits? limits = null, int database = -1)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        Limits = limits ?? LocationLimits.Default;
        Limits.Validate();
        _db = redis.GetDatabase(database);
        _prefix = keyPrefix;
        _members = keyPrefix + "aors";
    }

    /// <inheritdoc/>
    public LocationLimits Limits { get; }

    /// <inheritdoc/>
    public int AddressOfRecordCount
    {
        get
        {
            try
            {
                return (int)_db.SetLength(_members);
            }
            catch (RedisException)
            {
                return -1;
            }
        }
    }

    /// <inheritdoc/>
    public LocationUpdateStatus Update(string addressOfRecord, ReadOnlySpan<LocationBinding> changes, bool removeAll,
        ReadOnlySpan<byte> callId, uint cseq, long nowMs, List<LocationBinding>? current)
    {
        ArgumentException.ThrowIfNullOrEmpty(addressOfRecord);
        RedisKey key = Key(addressOfRecord);
        var stored = new List<LocationBinding>();
        var merged = new List<LocationBinding>();
        try
        {
            for (int attempt = 0; attempt < MaxAttempts; attempt++)
            {
                RedisValue old = _db.StringGet(key);
                stored.Clear();
                if (!old.IsNull && !LocationRecordCodec.TryDecode((byte[])old!, stored))
                {
                    // A value we cannot read is not ours to overwrite.
                    return LocationUpdateStatus.StoreUnavailable;
                }
                LocationUpdateStatus status = LocationMerge.Apply(stored.ToArray(), changes, removeAll, callId, cseq, nowMs,
                    Limits.MaxBindingsPerAddressOfRecord, merged);
                if (status != LocationUpdateStatus.Ok) return status;

                ITransaction tx = _db.CreateTransaction();
                tx.AddCondition(old.IsNull ? Condition.KeyNotExists(key) : Condition.StringEqual(key, old));
                bool adding = old.IsNull && merged.Count > 0;
                if (adding) tx.AddCondition(Condition.SetLengthLessThan(_members, Limits.MaxAddressesOfRecord));
                if (merged.Count == 0)
                {
                    _ = tx.KeyDeleteAsync(key);
                    _ = tx.SetRemoveAsync(_members, addressOfRecord);
                }
                else
                {
                    _ = tx.StringSetAsync(key, LocationRecordCodec.Encode(merged), Ttl(merged, nowMs));
                    _ = tx.SetAddAsync(_members, addressOfRecord);
                }
                if (tx.Execute())
                {
                    current?.AddRange(merged);
                    return LocationUpdateStatus.Ok;
                }
                // Either another node changed the value (retry) or the table is full.
                if (adding && _db.StringGet(key).IsNull && _db.SetLength(_members) >= Limits.MaxAddressesOfRecord)
                {
                    // Addresses whose bindings all expired still count until purged. A full table purges at
                    // most once a second per node, so a flood of new addresses cannot make each REGISTER scan it.
                    if (!ClaimFullPurge(nowMs)) return LocationUpdateStatus.TableFull;
                    PurgeExpired(nowMs);
                }
                else
                {
                    // Lost a race for the same address: back off a random 0..2^n ms (n <= 4) so nodes
                    // hammering one AoR spread out instead of colliding on every retry.
                    Thread.Sleep(Random.Shared.Next(1 << Math.Min(attempt + 1, 4)));
                }
            }
            return LocationUpdateStatus.StoreUnavailable;
        }
        catch (RedisException)
        {
            return LocationUpdateStatus.StoreUnavailable;
        }
    }

    /// <inheritdoc/>
    public int Lookup(string addressOfRecord, long nowMs, List<LocationBinding> into)
    {
        ArgumentException.ThrowIfNullOrEmpty(addressOfRecord);
        ArgumentNullException.ThrowIfNull(into);
        var stored = new List<LocationBinding>();
        try
        {
            RedisValue v = _db.StringGet(Key(addressOfRecord));
            if (v.IsNull) return 0;
            if (!LocationRecordCodec.TryDecode((byte[])v!, stored)) return -1;
        }
        catch (RedisException)
        {
            return -1;
        }
        int n = 0;
        foreach (LocationBinding b in stored)
        {
            if (b.ExpiresAtMs <= nowMs) continue;
            into.Add(b);
            n++;
        }
        return n;
    }

    /// <inheritdoc/>
    public int RemoveAll(string addressOfRecord, long nowMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(addressOfRecord);
        var live = new List<LocationBinding>();
        try
        {
            RedisKey key = Key(addressOfRecord);
            RedisValue v = _db.StringGetDelete(key);
            _db.SetRemove(_members, addressOfRecord);
            if (v.IsNull || !LocationRecordCodec.TryDecode((byte[])v!, live)) return 0;
        }
        catch (RedisException)
        {
            return 0;
        }
        int n = 0;
        foreach (LocationBinding b in live)
        {
            if (b.ExpiresAtMs > nowMs) n++;
        }
        return n;
    }

    /// <inheritdoc/>
    public int PurgeExpired(long nowMs)
    {
        int dropped = 0;
        var stored = new List<LocationBinding>();
        var live = new List<LocationBinding>();
        try
        {
            foreach (RedisValue member in _db.SetScan(_members))
            {
                string aor = (string)member!;
                RedisKey key = Key(aor);
                RedisValue v = _db.StringGet(key);
                if (v.IsNull)
                {
                    // The TTL removed the value; drop the address from the set unless it came back meanwhile.
                    ITransaction gone = _db.CreateTransaction();
                    gone.AddCondition(Condition.KeyNotExists(key));
                    _ = gone.SetRemoveAsync(_members, member);
                    gone.Execute();
                    continue;
                }
                stored.Clear();
                if (!LocationRecordCodec.TryDecode((byte[])v!, stored)) continue;
                live.Clear();
                foreach (LocationBinding b in stored)
                {
                    if (b.ExpiresAtMs > nowMs) live.Add(b);
                }
                if (live.Count == stored.Count) continue;
                ITransaction tx = _db.CreateTransaction();
                tx.AddCondition(Condition.StringEqual(key, v));
                if (live.Count == 0)
                {
                    _ = tx.KeyDeleteAsync(key);
                    _ = tx.SetRemoveAsync(_members, member);
                }
                else
                {
                    _ = tx.StringSetAsync(key, LocationRecordCodec.Encode(live), Ttl(live, nowMs));
                }
                // A lost race means another node rewrote the value; it purges on its own next time.
                if (tx.Execute()) dropped += stored.Count - live.Count;
            }
        }
        catch (RedisException)
        {
            return dropped;
        }
        return dropped;
    }

    private bool ClaimFullPurge(long nowMs)
    {
        lock (_purgeLock)
        {
            if (_purgedWhenFull && nowMs - _lastFullPurgeMs < 1000) return false;
            _purgedWhenFull = true;
            _lastFullPurgeMs = nowMs;
            return true;
        }
    }

    private RedisKey Key(string addressOfRecord) => _prefix + "aor:" + addressOfRecord;

    private static TimeSpan Ttl(List<LocationBinding> bindings, long nowMs)
    {
        long last = nowMs;
        foreach (LocationBinding b in bindings) last = Math.Max(last, b.ExpiresAtMs);
        return TimeSpan.FromMilliseconds(last - nowMs) + s_ttlGrace;
    }
}
