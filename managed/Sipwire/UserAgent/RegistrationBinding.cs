// One binding a registrar listed in its 2xx to REGISTER (RFC 3261 §10.2.4), as plain data.
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>
/// A binding of the address-of-record as the registrar returned it: one of ours with the interval it
/// granted, or another device's ("also registered").
/// </summary>
/// <param name="Uri">The contact URI as the registrar wrote it.</param>
/// <param name="Expires">Seconds left on the binding (the Contact's expires parameter, else the Expires header field, else -1).</param>
/// <param name="QMillis">The q-value in thousandths, -1 when absent.</param>
/// <param name="IsOurs">True when the URI equals one of our contacts (RFC 3261 §19.1.4 comparison).</param>
/// <param name="InstanceId">The +sip.instance of the binding (RFC 5626 §4.1), null when absent.</param>
public readonly record struct RegistrationBinding(string Uri, int Expires, int QMillis, bool IsOurs, string? InstanceId);
