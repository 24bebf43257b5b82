// The preloaded Route of every out-of-dialog request a UA sends through its outbound proxy (RFC 3261 §8.1.2).
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Sip;

namespace Sipwire.UserAgent;

/// <summary>
/// One source of truth for the outbound-proxy Route: INVITE, REGISTER (refreshes and unregister
/// included), MESSAGE, SUBSCRIBE and PUBLISH outside a dialog all take their Route header from here.
/// In-dialog requests use the dialog's route set instead (§12.2.1.1).
/// </summary>
internal static class OutboundRoute
{
    /// <summary>True when <paramref name="proxy"/> can be the outbound proxy: a sip:/sips: URI without line breaks.</summary>
    public static bool IsValid(string proxy) =>
        proxy.StartsWith("sip", StringComparison.OrdinalIgnoreCase) && SipUri.TryParse(proxy, out _) && proxy.AsSpan().IndexOfAny('\r', '\n') < 0;

    /// <summary>The header line "Route: &lt;proxy;lr&gt;\r\n", or "" without an outbound proxy.</summary>
    public static string Header(string? proxy)
    {
        if (proxy is null) return "";
        // §8.1.2: the UA's outbound proxy is a loose router (§16.12.1.1: without ;lr it would be treated as a
        // strict router, rewriting the Request-URI), so ;lr is added when the configured URI lacks it.
        bool lr = proxy.Contains(";lr", StringComparison.OrdinalIgnoreCase);
        return "Route: <" + proxy + (lr ? "" : ";lr") + ">\r\n";
    }
}
