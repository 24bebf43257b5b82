// How a stateful proxy tries several targets of one request (RFC 3261 §16.6).
// SPDX-License-Identifier: MIT

namespace Sipwire.Proxy;

/// <summary>Parallel or sequential forking (RFC 3261 §16.6, §16.1).</summary>
public enum ForkingMode
{
    /// <summary>Every target at once.</summary>
    Parallel = 0,

    /// <summary>
    /// Targets in groups of equal q-value, highest q first (RFC 3261 §16.6: "in order of their q-value");
    /// the targets of one group run in parallel, the next group starts when the group has failed or timed out.
    /// </summary>
    Sequential = 1,
}
