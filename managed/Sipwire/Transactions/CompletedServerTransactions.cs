// Completed non-INVITE server transactions over UDP (RFC 3261 §17.2.2) reduced to their key and response bytes.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Transport;

namespace Sipwire.Transactions;

/// <summary>
/// RFC 3261 §17.2.2: once a non-INVITE server transaction over an unreliable transport has sent its final
/// response it sits in Completed for Timer J = 64*T1 (32 s) only to answer retransmitted requests with that
/// response; the TU hears nothing more from it. This table keeps exactly that: the matching key (§17.2.3),
/// the request's To tag for RFC 2543 matching, the response bytes, where they go and when Timer J fires.
/// <para>
/// Every entry lives for the same 64*T1 from its insertion, so entries expire in insertion order: they sit in
/// a ring (FIFO) and their bytes in a second ring, so there is no per-entry object, no timer-queue entry and
/// no allocation once the rings have grown to the load. Lookup is by a chained hash over ring positions.
/// Not thread-safe: the transaction layer's poll thread owns it.
/// </para>
/// </summary>
internal sealed class CompletedServerTransactions
{
    private const int InitialEntries = 16;
    private const int InitialBytes = 16 * 512;

    private struct Entry
    {
        public long EndAt;
        public PeerAddress Remote;
        public int Offset;         // in _bytes: key, then To tag, then response
        public int Hash;
        public int Next;           // next ring position in the same bucket, -1 at the end
        public ushort KeyLength;
        public byte ToTagLength;   // RFC 2543 transactions only (§17.2.3); 0 otherwise
        public bool Rfc2543;
        public int ResponseLength;

        public readonly int Length => KeyLength + ToTagLength + ResponseLength;
    }

    private Entry[] _entries = new Entry[InitialEntries];
    private int[] _buckets = NewBuckets(InitialEntries);
    private int _head;      // ring position of the oldest entry
    private int _count;
    private byte[] _bytes = new byte[InitialBytes];
    private int _byteTail;  // where the next entry's bytes go

    /// <summary>Entries alive.</summary>
    public int Count => _count;

    /// <summary>When the oldest entry's Timer J fires, <see cref="Transaction.NoTimer"/> when there is none.</summary>
    public long OldestEndAt => _count == 0 ? Transaction.NoTimer : _entries[_head].EndAt;

    /// <summary>Bytes held by the table's arrays (entries, buckets, byte ring), for memory accounting.</summary>
    public long FootprintBytes => (long)_entries.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<Entry>() + _buckets.Length * 4L + _bytes.Length;

    /// <summary>
    /// Adds a transaction that just sent its final response. <paramref name="endAt"/> must not be earlier than
    /// that of any entry already present (Timer J is the same for all). Keys longer than 65535 bytes or RFC 2543
    /// To tags longer than 255 bytes are not taken (false): the caller keeps the full transaction instead, as it does
    /// when the byte ring cannot grow.
    /// </summary>
    public bool TryAdd(ReadOnlySpan<byte> key, int hash, bool rfc2543, ReadOnlySpan<byte> requestToTag, ReadOnlySpan<byte> response,
        in PeerAddress remote, long endAt)
    {
        if (key.Length > ushort.MaxValue || (rfc2543 && requestToTag.Length > byte.MaxValue)) return false;
        if (!rfc2543) requestToTag = [];
        int length = key.Length + requestToTag.Length + response.Length;
        int offset = Reserve(length);
        if (offset < 0) return false;
        if (_count == _entries.Length) GrowEntries();
        Span<byte> at = _bytes.AsSpan(offset, length);
        key.CopyTo(at);
        requestToTag.CopyTo(at[key.Length..]);
        response.CopyTo(at[(key.Length + requestToTag.Length)..]);

        int pos = (_head + _count) & (_entries.Length - 1);
        int bucket = hash & (_buckets.Length - 1);
        _entries[pos] = new Entry
        {
            EndAt = endAt,
            Remote = remote,
            Offset = offset,
            Hash = hash,
            Next = _buckets[bucket],
            KeyLength = (ushort)key.Length,
            ToTagLength = (byte)requestToTag.Length,
            Rfc2543 = rfc2543,
            ResponseLength = response.Length,
        };
        _buckets[bucket] = pos;
        _count++;
        _byteTail = offset + length;
        return true;
    }

    /// <summary>
    /// Finds the entry for a retransmitted request: same key, and for RFC 2543 matching also the same To tag
    /// as the request that created the transaction (§17.2.3). The response span is valid until the next change.
    /// </summary>
    public bool TryFind(ReadOnlySpan<byte> key, int hash, ReadOnlySpan<byte> requestToTag, out ReadOnlySpan<byte> response, out PeerAddress remote)
    {
        for (int p = _buckets[hash & (_buckets.Length - 1)]; p >= 0; p = _entries[p].Next)
        {
            ref Entry e = ref _entries[p];
            if (e.Hash != hash || e.KeyLength != key.Length) continue;
            ReadOnlySpan<byte> data = _bytes.AsSpan(e.Offset, e.Length);
            if (!data[..e.KeyLength].SequenceEqual(key)) continue;
            if (e.Rfc2543 && !data.Slice(e.KeyLength, e.ToTagLength).SequenceEqual(requestToTag)) continue;
            response = data[(e.KeyLength + e.ToTagLength)..];
            remote = e.Remote;
            return true;
        }
        response = default;
        remote = default;
        return false;
    }

    /// <summary>Drops every entry whose Timer J has fired (§17.2.2: Completed → Terminated); returns how many.</summary>
    public int Expire(long now)
    {
        int dropped = 0;
        while (_count > 0 && _entries[_head].EndAt <= now)
        {
            Unlink(_head);
            _entries[_head] = default;
            _head = (_head + 1) & (_entries.Length - 1);
            _count--;
            dropped++;
        }
        if (_count == 0)
        {
            _head = 0;
            _byteTail = 0;
            // After a burst the rings go back to their first size, so an idle server holds no burst-sized arrays.
            if (_entries.Length > InitialEntries)
            {
                _entries = new Entry[InitialEntries];
                _buckets = NewBuckets(InitialEntries);
            }
            if (_bytes.Length > InitialBytes) _bytes = new byte[InitialBytes];
        }
        return dropped;
    }

    private void Unlink(int pos)
    {
        int bucket = _entries[pos].Hash & (_buckets.Length - 1);
        int prev = -1;
        for (int p = _buckets[bucket]; p >= 0; p = _entries[p].Next)
        {
            if (p == pos)
            {
                if (prev < 0) _buckets[bucket] = _entries[p].Next;
                else _entries[prev].Next = _entries[p].Next;
                return;
            }
            prev = p;
        }
    }

    // The byte ring: live bytes run from the oldest entry's offset to _byteTail, possibly wrapping once.
    private int Reserve(int length)
    {
        if (_count == 0)
        {
            if (length > _bytes.Length) _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
            return 0;
        }
        // Reserve runs before GrowEntries, so _head still indexes the current entry ring.
        int headOffset = _entries[_head].Offset;
        if (_byteTail > headOffset)
        {
            if (_bytes.Length - _byteTail >= length) return _byteTail;
            if (headOffset >= length) return 0; // wrap; the unused end is skipped until the head passes it
        }
        else if (headOffset - _byteTail >= length)
        {
            return _byteTail;
        }
        return GrowBytes(length) ? _byteTail : -1;
    }

    // Copies the live entries' bytes to the start of a larger array, oldest first; false when it cannot grow.
    private bool GrowBytes(int extra)
    {
        long used = 0;
        for (int i = 0; i < _count; i++) used += _entries[(_head + i) & (_entries.Length - 1)].Length;
        long size = Math.Max((long)_bytes.Length * 2, used + extra);
        if (used + extra > Array.MaxLength) return false;
        size = Math.Min(size, Array.MaxLength);
        byte[] bigger = new byte[size];
        int at = 0;
        for (int i = 0; i < _count; i++)
        {
            ref Entry e = ref _entries[(_head + i) & (_entries.Length - 1)];
            _bytes.AsSpan(e.Offset, e.Length).CopyTo(bigger.AsSpan(at));
            e.Offset = at;
            at += e.Length;
        }
        _bytes = bigger;
        _byteTail = at;
        return true;
    }

    // Doubles the entry ring, keeping FIFO order from position 0, and rebuilds the hash chains.
    private void GrowEntries()
    {
        var bigger = new Entry[_entries.Length * 2];
        for (int i = 0; i < _count; i++) bigger[i] = _entries[(_head + i) & (_entries.Length - 1)];
        _entries = bigger;
        _head = 0;
        _buckets = NewBuckets(bigger.Length);
        for (int i = 0; i < _count; i++)
        {
            int bucket = _entries[i].Hash & (_buckets.Length - 1);
            _entries[i].Next = _buckets[bucket];
            _buckets[bucket] = i;
        }
    }

    private static int[] NewBuckets(int entries)
    {
        int[] b = new int[entries * 2];
        b.AsSpan().Fill(-1);
        return b;
    }
}
