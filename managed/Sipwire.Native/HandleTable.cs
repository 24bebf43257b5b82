// SPDX-License-Identifier: MIT
// Opaque C handles for managed objects, safe against NULL, stale and forged handle values.

using System;
using System.Collections.Generic;
using System.Threading;

namespace Sipwire.Native;

/// <summary>
/// Hands out opaque handle values for objects of type <typeparamref name="T"/>. A handle encodes a slot
/// index and the slot's generation, so a destroyed (stale) or made-up handle is recognized and rejected
/// instead of being dereferenced. Thread-safe.
/// </summary>
internal sealed class HandleTable<T>(int capacity) where T : class
{
    private readonly List<Slot> _slots = new();
    private readonly Stack<int> _free = new();
    private readonly int _capacity = capacity;
    private readonly Lock _lock = new();

    // The generation must survive the round trip through a pointer-sized value.
    private static readonly uint s_maxGeneration = IntPtr.Size == 8 ? uint.MaxValue : 0xFFF;

    private struct Slot
    {
        public T? Target;
        public uint Generation;
    }

    /// <summary>Number of live handles.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _slots.Count - _free.Count;
            }
        }
    }

    /// <summary>Stores <paramref name="target"/> and returns its handle (never zero).</summary>
    /// <exception cref="InvalidOperationException">The table holds <c>capacity</c> handles already.</exception>
    public nint Add(T target)
    {
        lock (_lock)
        {
            int index;
            if (_free.Count > 0)
            {
                index = _free.Pop();
            }
            else
            {
                if (_slots.Count >= _capacity)
                {
                    throw new HandleLimitException($"at most {_capacity} handles of {typeof(T).Name} may be alive at once");
                }
                index = _slots.Count;
                _slots.Add(new Slot { Generation = 1 });
            }
            Slot slot = _slots[index];
            slot.Target = target;
            _slots[index] = slot;
            return Encode(index, slot.Generation);
        }
    }

    /// <summary>Returns the object behind a live handle, or null for NULL, stale or unknown handles.</summary>
    public T? Get(nint handle)
    {
        lock (_lock)
        {
            return TryFind(handle, out int index) ? _slots[index].Target : null;
        }
    }

    /// <summary>Removes a live handle and returns its object; null when the handle is not live.</summary>
    public T? Remove(nint handle)
    {
        lock (_lock)
        {
            if (!TryFind(handle, out int index))
            {
                return null;
            }
            Slot slot = _slots[index];
            T? target = slot.Target;
            slot.Target = null;
            // A new generation makes every copy of the old handle stale; 0 is never used.
            slot.Generation = slot.Generation == s_maxGeneration ? 1 : slot.Generation + 1;
            _slots[index] = slot;
            _free.Push(index);
            return target;
        }
    }

    private bool TryFind(nint handle, out int index)
    {
        ulong value = (ulong)handle;
        index = (int)(value & 0xFFFFF) - 1;
        uint generation = (uint)(value >> 20);
        return index >= 0 && index < _slots.Count && generation != 0
            && _slots[index].Generation == generation && _slots[index].Target is not null;
    }

    // Slot index + 1 in the low 20 bits, the generation above: fits 32-bit pointers for 2^12
    // generations per slot and 64-bit pointers for all 2^32.
    private static nint Encode(int index, uint generation) =>
        (nint)(((ulong)generation << 20) | (uint)(index + 1));
}
