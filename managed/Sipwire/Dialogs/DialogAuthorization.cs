// Supplies the credentials a request sent in a dialog carries pre-emptively (RFC 3261 §22.3).
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Dialogs;

/// <summary>
/// Returns complete Authorization / Proxy-Authorization header lines ("Name: value\r\n") for a request
/// the dialog layer is about to send, or "" for none. The digest uri is <paramref name="requestUri"/> (§22.4).
/// </summary>
/// <param name="dialog">The dialog the request belongs to.</param>
/// <param name="method">The method, ACK included (§13.2.2.4: the ACK carries the INVITE's credentials).</param>
/// <param name="requestUri">The Request-URI of the request.</param>
/// <param name="body">The body (for qop=auth-int).</param>
public delegate string DialogAuthorization(Dialog dialog, string method, string requestUri, ReadOnlySpan<byte> body);
