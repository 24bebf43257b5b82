// A clock moved only by its owner: runs RFC 3261 timers (Timer B = 64*T1) in microseconds of real time.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Timing;

/// <summary>A manually advanced clock for tests and simulations; starts at <paramref name="startMicros"/>.</summary>
/// <param name="startMicros">The initial reading.</param>
public sealed class VirtualClock(long startMicros = 0) : IClock
{
    private long _now = startMicros;

    /// <inheritdoc />
    public long NowMicros => _now;

    /// <summary>Moves time forward by <paramref name="delta"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The delta is negative (the clock is monotonic).</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        _now += delta.Ticks / 10;
    }

    /// <summary>Moves time forward to <paramref name="micros"/>; an earlier value is an error.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The target lies in the past.</exception>
    public void AdvanceTo(long micros)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(micros, _now);
        _now = micros;
    }
}
