// How message boundaries are found: one datagram per message, or Content-Length on a byte stream.
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip;

/// <summary>The framing rule of the transport a message arrived on (RFC 3261 §18.3).</summary>
public enum SipFraming
{
    /// <summary>UDP and other message transports: one datagram is one message; octets past Content-Length are ignored.</summary>
    Datagram = 0,

    /// <summary>TCP, TLS and other stream transports: Content-Length is mandatory and frames the body.</summary>
    Stream = 1,
}
