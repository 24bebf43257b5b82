// The Subscription-State header field (RFC 6665 §8.2.3, §4.1.3): state, expires, reason, retry-after.
// SPDX-License-Identifier: MIT

using System;
using System.Globalization;
using System.Text;

namespace Sipwire.Events;

/// <summary>A Subscription-State value: "active;expires=600", "terminated;reason=timeout;retry-after=30".</summary>
public sealed record SubscriptionStateValue
{
    /// <summary>Active, Pending or Terminated.</summary>
    public required SubscriptionState State { get; init; }

    /// <summary>The expires parameter in seconds, or -1 when absent.</summary>
    public int Expires { get; init; } = -1;

    /// <summary>The reason parameter ("deactivated", "probation", "rejected", "timeout", "giveup", "noresource", "invariant"), or null.</summary>
    public string? Reason { get; init; }

    /// <summary>The retry-after parameter in seconds, or -1 when absent.</summary>
    public int RetryAfter { get; init; } = -1;

    /// <summary>
    /// Parses the value. RFC 6665 §8.2.3: an unknown substate is treated as "pending" by a
    /// subscriber, so it parses as <see cref="SubscriptionState.Pending"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out SubscriptionStateValue? value, out string error)
    {
        value = null;
        var parts = EventHeaderValue.SplitParameters(text, out error);
        if (parts.Count == 0) return false;
        string s = parts[0].Trim();
        if (!EventHeaderValue.IsToken(s))
        {
            error = $"'{s}' is not a substate";
            return false;
        }
        SubscriptionState state = s.ToUpperInvariant() switch
        {
            "ACTIVE" => SubscriptionState.Active,
            "TERMINATED" => SubscriptionState.Terminated,
            _ => SubscriptionState.Pending,
        };
        int expires = -1, retryAfter = -1;
        string? reason = null;
        for (int i = 1; i < parts.Count; i++)
        {
            string p = parts[i].Trim();
            int eq = p.IndexOf('=', StringComparison.Ordinal);
            string name = (eq < 0 ? p : p[..eq]).Trim().ToUpperInvariant();
            string v = eq < 0 ? "" : EventHeaderValue.Unquote(p[(eq + 1)..].Trim());
            switch (name)
            {
                case "EXPIRES" when !TryDelta(v, out expires):
                case "RETRY-AFTER" when !TryDelta(v, out retryAfter):
                    error = $"'{p}' needs delta-seconds";
                    return false;
                case "REASON":
                    if (!EventHeaderValue.IsToken(v))
                    {
                        error = $"'{v}' is not a reason token";
                        return false;
                    }
                    reason = v.ToLowerInvariant();
                    break;
            }
        }
        value = new SubscriptionStateValue { State = state, Expires = expires, Reason = reason, RetryAfter = retryAfter };
        error = "";
        return true;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder(State switch
        {
            SubscriptionState.Active => "active",
            SubscriptionState.Terminated => "terminated",
            _ => "pending",
        });
        if (Reason is not null) sb.Append(";reason=").Append(Reason);
        if (Expires >= 0) sb.Append(";expires=").Append(Expires.ToString(CultureInfo.InvariantCulture));
        if (RetryAfter >= 0) sb.Append(";retry-after=").Append(RetryAfter.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static bool TryDelta(string v, out int seconds)
    {
        // §25.1 delta-seconds: 1*DIGIT; values beyond 2^31-1 are clamped (§20.19 allows 2^32-1).
        seconds = -1;
        if (v.Length == 0 || v.Length > 10) return false;
        foreach (char c in v)
        {
            if (c is < '0' or > '9') return false;
        }
        seconds = (int)Math.Min(long.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture), int.MaxValue);
        return true;
    }
}
