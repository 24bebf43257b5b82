// A MESSAGE we accepted (RFC 3428 §8), handed to the application.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.UserAgent;

/// <summary>A page-mode instant message received and answered with 200, outside a dialog or inside a call (<see cref="Call"/>).</summary>
/// <param name="From">The From header field value (display name, URI and tag).</param>
/// <param name="FromUri">The URI of the sender.</param>
/// <param name="To">The To header field value.</param>
/// <param name="CallId">The Call-ID.</param>
/// <param name="ContentType">The media type with its parameters, as received ("text/plain;charset=UTF-8").</param>
/// <param name="Body">The body (a copy).</param>
public sealed record IncomingMessage(string From, string FromUri, string To, string CallId, string ContentType, ReadOnlyMemory<byte> Body)
{
    /// <summary>The call whose dialog carried the MESSAGE (RFC 3428 §7: allowed within a dialog); null for a page-mode MESSAGE outside any dialog.</summary>
    public SipCall? Call { get; init; }

    /// <summary>The body decoded as UTF-8 (RFC 3428 §9: text/plain defaults to UTF-8 in SIP).</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Body.Span);
}
