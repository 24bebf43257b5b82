// The `sipwire ua` timers (answer delay, call duration, exit-after) as one IEndpointTimers the endpoint polls.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Timing;

namespace Sipwire.Cli;

/// <summary>Runs actions at clock times from <see cref="Endpoint.Poll"/>; single-threaded like the endpoint.</summary>
internal sealed class UaScheduler(IClock clock) : IEndpointTimers
{
    private readonly List<(long At, Action Work)> _items = [];

    public long NextDeadline
    {
        get
        {
            long d = long.MaxValue;
            foreach ((long at, _) in _items) d = Math.Min(d, at);
            return d;
        }
    }

    /// <summary>Runs <paramref name="work"/> once <paramref name="seconds"/> have passed.</summary>
    public void After(double seconds, Action work) => _items.Add((clock.NowMicros + (long)(seconds * 1_000_000), work));

    public void ProcessTimers()
    {
        long now = clock.NowMicros;
        // Due items are taken out first: an action may schedule more.
        List<Action>? due = null;
        for (int i = _items.Count - 1; i >= 0; i--)
        {
            if (_items[i].At > now) continue;
            (due ??= []).Insert(0, _items[i].Work);
            _items.RemoveAt(i);
        }
        if (due is null) return;
        foreach (Action a in due) a();
    }
}
