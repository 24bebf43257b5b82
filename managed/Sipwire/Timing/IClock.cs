// The time source every sans-IO layer reads: monotonic microseconds, real or virtual.
// SPDX-License-Identifier: MIT

namespace Sipwire.Timing;

/// <summary>
/// A monotonic clock in microseconds (DESIGN.md principle 1: time is injected, never read from the
/// wall clock inside the protocol layers). Only differences between readings are meaningful.
/// </summary>
public interface IClock
{
    /// <summary>Current time in microseconds since an arbitrary origin; never decreases.</summary>
    long NowMicros { get; }
}
