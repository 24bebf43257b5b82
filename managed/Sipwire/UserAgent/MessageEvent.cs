// The final outcome of a MESSAGE we sent, as data.
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>The outcome of the MESSAGE numbered <paramref name="MessageId"/> (the value <see cref="UserAgentCore.SendMessage"/> returned).</summary>
/// <param name="Kind">Delivered or Failed.</param>
/// <param name="MessageId">The id SendMessage returned.</param>
/// <param name="StatusCode">The final status (408 for a timeout, 503 for a transport error, 513 for a message too large to send).</param>
/// <param name="Reason">The reason phrase, with detail for local failures.</param>
public sealed record MessageEvent(MessageEventKind Kind, int MessageId, int StatusCode, string Reason);
