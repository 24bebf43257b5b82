// The 64-packet sliding replay window of RFC 3711 §3.3.2.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Srtp;

/// <summary>
/// Sliding window over packet indices: bit k of the mask records whether index (highest - k) was
/// received. Check before authenticating; record only after the packet authenticated.
/// </summary>
internal struct SrtpReplayWindow
{
    public const int Size = 64;

    private ulong _highest;
    private ulong _mask;
    private bool _started;

    public readonly SrtpStatus Check(ulong index)
    {
        if (!_started || index > _highest)
        {
            return SrtpStatus.Ok;
        }

        ulong delta = _highest - index;
        if (delta >= Size)
        {
            return SrtpStatus.ReplayTooOld;
        }

        return (_mask & (1UL << (int)delta)) != 0 ? SrtpStatus.ReplayDuplicate : SrtpStatus.Ok;
    }

    public void Add(ulong index)
    {
        if (!_started)
        {
            _started = true;
            _highest = index;
            _mask = 1;
            return;
        }

        if (index > _highest)
        {
            ulong shift = index - _highest;
            _mask = shift >= Size ? 1 : (_mask << (int)shift) | 1;
            _highest = index;
        }
        else
        {
            _mask |= 1UL << (int)(_highest - index);
        }
    }
}
