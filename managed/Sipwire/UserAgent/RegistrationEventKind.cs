// What happened to a client registration.
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>The kinds of <see cref="RegistrationEvent"/>.</summary>
public enum RegistrationEventKind
{
    /// <summary>A 2xx confirmed the binding (first registration or refresh).</summary>
    Registered = 0,
    /// <summary>A REGISTER failed (final non-2xx, no response, transport error, wrong credentials).</summary>
    Failed = 1,
    /// <summary>The binding was removed (expires=0 confirmed) or there was none to remove.</summary>
    Unregistered = 2,
    /// <summary>
    /// A 2xx confirmed some of our contacts but did not list this one (the registrar dropped it, RFC 3261
    /// §10.2.4): a new REGISTER follows, at once the first time, then with back-off.
    /// </summary>
    ContactDropped = 3,
}
