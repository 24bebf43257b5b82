// When a proxy puts itself on the Path of a REGISTER it forwards (RFC 3327 §5.2).
// SPDX-License-Identifier: MIT

namespace Sipwire.Proxy;

/// <summary>How a <see cref="SipProxy"/> treats Path (RFC 3327) on a REGISTER it forwards to another registrar.</summary>
public enum PathMode
{
    /// <summary>No Path is added: requests for the registered contact do not come back through this proxy.</summary>
    Off = 0,

    /// <summary>
    /// RFC 3327 §5.2 as written: Path (with Require: path for the registrar) is added when the UA sent
    /// Supported: path; a REGISTER without it gets 421 (Extension Required) with Require: path, since an edge
    /// proxy that must stay on the path cannot do without the extension. The default.
    /// </summary>
    Supported = 1,

    /// <summary>
    /// Path and Require: path are added to every forwarded REGISTER, also from UAs that did not say
    /// Supported: path (a local-policy departure from the SHOULD NOT of RFC 3327 §5.2, for UAs that predate it;
    /// such a UA simply ignores the Path its registrar may echo).
    /// </summary>
    Always = 2,
}
