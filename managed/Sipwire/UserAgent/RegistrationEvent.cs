// One registration outcome as data (DESIGN.md: protocol outcomes are data, not exceptions).
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.UserAgent;

/// <summary>A registration event.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="StatusCode">The final status of the REGISTER (408 for no response, 503 for a transport error, 0 when none was sent).</param>
/// <param name="Reason">The reason phrase, or a local explanation.</param>
/// <param name="Expires">On <see cref="RegistrationEventKind.Registered"/>: the seconds the registrar granted.</param>
/// <param name="RetryIn">On <see cref="RegistrationEventKind.Failed"/>: when the next attempt starts, or <see cref="TimeSpan.Zero"/> when none will.</param>
public readonly record struct RegistrationEvent(RegistrationEventKind Kind, int StatusCode, string Reason, int Expires, TimeSpan RetryIn)
{
    /// <summary>One line for logs: "Registered 200 OK expires=3600".</summary>
    public override string ToString() => Kind switch
    {
        RegistrationEventKind.Registered => $"Registered {StatusCode} {Reason} expires={Expires}",
        RegistrationEventKind.Failed => $"Failed {StatusCode} {Reason} retry-in={RetryIn.TotalSeconds:0.###}s",
        _ => $"Unregistered {StatusCode} {Reason}",
    };
}
