// One element of a proxy's target set (RFC 3261 §16.5): a URI, its q-value and the Route values it needs.
// SPDX-License-Identifier: MIT

using Sipwire.Transport;

namespace Sipwire.Proxy;

/// <summary>A target the request is forwarded to.</summary>
/// <param name="Uri">The Request-URI of the forwarded request.</param>
/// <param name="QMillis">q-value times 1000 (1000 when the contact had none).</param>
/// <param name="Path">Route values to put before the request's own (RFC 3327 §5.3: the binding's Path), or empty.</param>
/// <param name="Flow">Where the request goes regardless of URIs: the flow a Path flow token named (RFC 5626 §5.3), or null.</param>
internal sealed record ProxyTarget(string Uri, int QMillis, string Path, PeerAddress? Flow = null);
