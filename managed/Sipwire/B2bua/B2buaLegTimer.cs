// The session timer (RFC 4028) of one leg of a bridged call: interval, who refreshes, and the two deadlines.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.B2bua;

/// <summary>
/// One leg's session timer. Each leg of a B2BUA call is its own dialog with its own negotiated interval
/// and refresher (RFC 4028 §7, §9); the B2BUA refreshes a leg only where it is the refresher, and ends the
/// call when a leg's session expires without a refresh (§10).
/// </summary>
internal sealed class B2buaLegTimer
{
    /// <summary>The negotiated interval in seconds; 0 while the leg runs no session timer.</summary>
    public uint Seconds { get; private set; }

    /// <summary>True when the B2BUA is this leg's refresher.</summary>
    public bool WeRefresh { get; private set; }

    /// <summary>When the B2BUA sends its refresh (clock microseconds), or long.MaxValue.</summary>
    public long RefreshAt { get; set; } = long.MaxValue;

    /// <summary>When the session of this leg expires without a refresh (clock microseconds), or long.MaxValue.</summary>
    public long ExpireAt { get; private set; } = long.MaxValue;

    /// <summary>Refresh attempts after a 422 to our refresh (bounded).</summary>
    public int Retries { get; set; }

    public bool IsOn => Seconds > 0;

    /// <summary>(Re)starts the timer at <paramref name="now"/>: a successful refresh or session setup (§10).</summary>
    public void Start(long now, uint seconds, bool weRefresh)
    {
        long interval = seconds * 1_000_000L;
        Seconds = seconds;
        WeRefresh = weRefresh;
        // §10: the refresher refreshes at half the interval; the other side gives up at the interval minus
        // min(32 s, a third of it), so a refresh in flight is not mistaken for a dead peer.
        RefreshAt = weRefresh ? now + interval / 2 : long.MaxValue;
        ExpireAt = now + interval - Math.Min(32_000_000L, interval / 3);
    }

    public void Stop()
    {
        RefreshAt = long.MaxValue;
        ExpireAt = long.MaxValue;
    }
}
