// One registration outcome as data (DESIGN.md: protocol outcomes are data, not exceptions).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;

namespace Sipwire.UserAgent;

/// <summary>A registration event.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="StatusCode">The final status of the REGISTER (408 for no response, 503 for a transport error, 0 when none was sent).</param>
/// <param name="Reason">The reason phrase, or a local explanation.</param>
/// <param name="Expires">On <see cref="RegistrationEventKind.Registered"/>: the smallest interval the registrar granted to our contacts, in seconds.</param>
/// <param name="RetryIn">On <see cref="RegistrationEventKind.Failed"/>: when the next attempt starts, or <see cref="TimeSpan.Zero"/> when none will.</param>
public readonly record struct RegistrationEvent(RegistrationEventKind Kind, int StatusCode, string Reason, int Expires, TimeSpan RetryIn)
{
    /// <summary>
    /// Every binding the registrar's 2xx listed (RFC 3261 §10.2.4): ours with the intervals granted, and
    /// those of other devices of the address-of-record. Empty when no 2xx arrived.
    /// </summary>
    public IReadOnlyList<RegistrationBinding> Bindings { get; init; } = [];

    /// <summary>On <see cref="RegistrationEventKind.ContactDropped"/>: the URI of our contact that the 2xx did not list.</summary>
    public string? Contact { get; init; }

    /// <summary>One line for logs: "Registered 200 OK expires=3600".</summary>
    public override string ToString() => Kind switch
    {
        RegistrationEventKind.Registered => $"Registered {StatusCode} {Reason} expires={Expires}",
        RegistrationEventKind.Failed => $"Failed {StatusCode} {Reason} retry-in={RetryIn.TotalSeconds:0.###}s",
        RegistrationEventKind.ContactDropped => $"ContactDropped {StatusCode} {Reason} contact={Contact} retry-in={RetryIn.TotalSeconds:0.###}s",
        _ => $"Unregistered {StatusCode} {Reason}",
    };
}
