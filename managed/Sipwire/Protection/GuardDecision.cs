// A RequestGuard decision: pass, drop (why), or reject with a status.
// SPDX-License-Identifier: MIT

namespace Sipwire.Protection;

/// <summary>What <see cref="RequestGuard.Inspect"/> decided.</summary>
/// <param name="Action">Pass, drop or reject.</param>
/// <param name="StatusCode">For <see cref="GuardAction.Reject"/>: 503 or 403.</param>
/// <param name="Reason">The reason phrase, or why it was dropped.</param>
public readonly record struct GuardDecision(GuardAction Action, int StatusCode, string Reason)
{
    internal static readonly GuardDecision Passed = new(GuardAction.Pass, 0, "");
}
