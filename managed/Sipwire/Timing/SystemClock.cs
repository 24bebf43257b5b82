// The real monotonic clock (Stopwatch), used by an Endpoint on a device or host.
// SPDX-License-Identifier: MIT

using System.Diagnostics;

namespace Sipwire.Timing;

/// <summary>Monotonic time from <see cref="Stopwatch"/>; unaffected by wall-clock changes (NTP steps, RTC set).</summary>
public sealed class SystemClock : IClock
{
    /// <summary>The shared instance.</summary>
    public static SystemClock Instance { get; } = new();

    private SystemClock()
    {
    }

    /// <inheritdoc />
    public long NowMicros => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));
}
