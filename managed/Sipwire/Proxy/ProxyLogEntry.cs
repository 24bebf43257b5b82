// One line of the proxy's transaction log: what came in, where it went and how it ended.
// SPDX-License-Identifier: MIT

using Sipwire.Transport;

namespace Sipwire.Proxy;

/// <summary>What the proxy did with one request (one entry per transaction, or per request when stateless).</summary>
/// <param name="Method">The request method.</param>
/// <param name="RequestUri">The Request-URI as received.</param>
/// <param name="CallId">The Call-ID.</param>
/// <param name="Source">Where the request came from.</param>
/// <param name="StatusCode">The final status sent upstream (or generated locally); 0 when forwarded statelessly.</param>
/// <param name="Reason">The reason phrase of that status, or what was done ("forwarded").</param>
/// <param name="Branches">How many downstream branches were created.</param>
public sealed record ProxyLogEntry(string Method, string RequestUri, string CallId, PeerAddress Source, int StatusCode, string Reason, int Branches)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Method} {RequestUri} call-id={CallId} from={Source} -> {(StatusCode == 0 ? "" : StatusCode + " ")}{Reason} branches={Branches}";
}
