// The life cycle of a client registration.
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>Where a <see cref="Registration"/> stands.</summary>
public enum RegistrationState
{
    /// <summary>Not started.</summary>
    Idle = 0,
    /// <summary>A REGISTER is in flight and no binding is confirmed yet.</summary>
    Registering = 1,
    /// <summary>The binding is confirmed; a refresh is scheduled (or in flight).</summary>
    Registered = 2,
    /// <summary>The last attempt failed; the next one is scheduled after a back-off.</summary>
    RetryWait = 3,
    /// <summary>The registrar refused our credentials; no retry until <see cref="Registration.Start"/> is called again.</summary>
    AuthenticationFailed = 4,
    /// <summary>A REGISTER with expires=0 is in flight.</summary>
    Unregistering = 5,
    /// <summary>Stopped: unregistered, or the unregistration ended.</summary>
    Stopped = 6,
}
