// How a UA core uses reliable provisional responses (RFC 3262, option tag 100rel).
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>The 100rel policy of <see cref="UserAgentOptions.ReliableProvisional"/>.</summary>
public enum ReliableProvisionalMode
{
    /// <summary>100rel is not supported: it is not advertised, and a request that Requires it gets 420 (RFC 3261 §8.2.2.3).</summary>
    Off = 0,
    /// <summary>
    /// 100rel is advertised in Supported; provisional responses are sent reliably when the peer
    /// Requires it or when they carry SDP (early media, RFC 3262 §5); reliable 1xx received are PRACKed.
    /// </summary>
    Supported = 1,
    /// <summary>
    /// Our INVITEs carry Require: 100rel; incoming INVITEs whose sender does not support it get
    /// 421 Extension Required (RFC 3262 §3); every 1xx other than 100 we send is reliable.
    /// </summary>
    Required = 2,
}
