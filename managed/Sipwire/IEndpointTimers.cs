// A layer above the transactions with timers of its own (UA core, proxy, registrar), driven by Endpoint.Poll.
// SPDX-License-Identifier: MIT

namespace Sipwire;

/// <summary>
/// Timers of a transaction user (registration refreshes, call timers, subscription refreshes) that an
/// <see cref="Endpoint"/> runs from <see cref="Endpoint.Poll"/> next to the transaction timers, so
/// one poll loop drives the whole stack. Both members are called on the polling thread only.
/// </summary>
public interface IEndpointTimers
{
    /// <summary>Earliest deadline, in <see cref="Endpoint.Clock"/> microseconds; <see cref="long.MaxValue"/> when nothing is pending.</summary>
    long NextDeadline { get; }

    /// <summary>Runs every timer that is due at the clock's current reading.</summary>
    void ProcessTimers();
}
