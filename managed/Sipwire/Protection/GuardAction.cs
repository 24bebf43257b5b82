// What a RequestGuard does with one received message.
// SPDX-License-Identifier: MIT

namespace Sipwire.Protection;

/// <summary>The outcome of <see cref="RequestGuard.Inspect"/>.</summary>
public enum GuardAction
{
    /// <summary>Hand the message to the role.</summary>
    Pass = 0,
    /// <summary>Drop it without answer (counted).</summary>
    Drop = 1,
    /// <summary>Answer statelessly with the decision's status and drop it.</summary>
    Reject = 2,
}
