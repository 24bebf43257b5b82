// SPDX-License-Identifier: MIT
// The object behind sw_account *: one address-of-record, its registration and credentials.

using System.Collections.Generic;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.Native;

/// <summary>An account of an <see cref="EndpointHost"/>.</summary>
internal sealed class NativeAccount(EndpointHost host, string aor, Registration registration, PeerAddress outbound,
    bool hasOutboundProxy, List<SipCredentials> credentials)
{
    /// <summary>The endpoint that owns the account.</summary>
    public EndpointHost Host { get; } = host;

    /// <summary>The address-of-record.</summary>
    public string Aor { get; } = aor;

    /// <summary>The client registration (RFC 3261 §10.2).</summary>
    public Registration Registration { get; } = registration;

    /// <summary>Where requests go when the target gives no IP-literal host: the outbound proxy or the registrar.</summary>
    public PeerAddress Outbound { get; } = outbound;

    /// <summary>True when an outbound proxy is configured: every request goes to it (RFC 3261 §8.1.2).</summary>
    public bool HasOutboundProxy { get; } = hasOutboundProxy;

    /// <summary>The credentials the registration reads on each challenge; replaced by sw_account_set_credentials().</summary>
    public List<SipCredentials> Credentials { get; } = credentials;

    /// <summary>The C handle.</summary>
    public nint Handle { get; set; }
}
