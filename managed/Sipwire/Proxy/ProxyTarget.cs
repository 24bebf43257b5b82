// One element of a proxy's target set (RFC 3261 §16.5): a URI, its q-value and the Route values it needs.
// SPDX-License-Identifier: MIT

namespace Sipwire.Proxy;

/// <summary>A target the request is forwarded to.</summary>
/// <param name="Uri">The Request-URI of the forwarded request.</param>
/// <param name="QMillis">q-value times 1000 (1000 when the contact had none).</param>
/// <param name="Path">Route values to put before the request's own (RFC 3327 §5.3: the binding's Path), or empty.</param>
internal sealed record ProxyTarget(string Uri, int QMillis, string Path);
