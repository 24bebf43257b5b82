// The registrar's decision for one REGISTER: the response to send, and what it found, for logs.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Auth;
using Sipwire.Location;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Registrar;

/// <summary>
/// A final response to a REGISTER: status, reason, the header fields the registrar adds, and the
/// bindings it reports. The server layer writes it with <see cref="Write"/> and sends it through the
/// server transaction.
/// </summary>
public sealed class RegistrarResponse
{
    private readonly List<KeyValuePair<string, string>> _headers = [];

    internal RegistrarResponse(int statusCode, string reason, string toTag)
    {
        StatusCode = statusCode;
        Reason = Printable(reason);
        ToTag = toTag;
    }

    /// <summary>The status code.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase (names the problem for rejections, RFC 3261 §21.4.1).</summary>
    public string Reason { get; }

    /// <summary>The To tag added to the response (§8.2.6.2).</summary>
    public string ToTag { get; }

    /// <summary>Header fields the registrar adds after Via/From/To/Call-ID/CSeq, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    /// <summary>On 200: the current bindings, highest q first.</summary>
    public IReadOnlyList<LocationBinding> Bindings { get; internal set; } = [];

    /// <summary>The canonical address-of-record (RFC 3261 §10.3 step 5), when it got that far.</summary>
    public string? AddressOfRecord { get; internal set; }

    /// <summary>The authenticated user, when authentication succeeded.</summary>
    public string? User { get; internal set; }

    /// <summary>The digest verdict on the request's credentials, when it had any for our realm.</summary>
    public DigestVerdict? Verdict { get; internal set; }

    /// <summary>
    /// True when the Request-URI names a domain this registrar does not serve (§10.3 step 1): a server that
    /// is also a proxy should forward the request instead of sending this 404.
    /// </summary>
    public bool NotForThisDomain { get; internal set; }

    /// <summary>The first value of header <paramref name="name"/>, or null.</summary>
    public string? GetHeader(string name)
    {
        foreach (KeyValuePair<string, string> h in _headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) return h.Value;
        }
        return null;
    }

    /// <summary>Every value of header <paramref name="name"/>, in order (one per Contact of a 200, §10.3 step 8).</summary>
    public IEnumerable<string> GetHeaders(string name)
    {
        foreach (KeyValuePair<string, string> h in _headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) yield return h.Value;
        }
    }

    internal RegistrarResponse With(string name, string value)
    {
        _headers.Add(new KeyValuePair<string, string>(name, Printable(value)));
        return this;
    }

    // Values echo request content (an unescaped user part may hold %0D%0A): no CR, LF, NUL or other
    // control character may reach the wire, or a request could inject header fields into our response.
    private static string Printable(string text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c)) return string.Create(text.Length, text, static (d, t) =>
            {
                for (int i = 0; i < t.Length; i++) d[i] = char.IsControl(t[i]) ? ' ' : t[i];
            });
        }
        return text;
    }

    /// <summary>
    /// Writes the complete response to <paramref name="request"/> received from <paramref name="source"/>
    /// (Via received/rport per §18.2.1 and RFC 3581); returns its length, or -1 when <paramref name="destination"/> is too small.
    /// </summary>
    public int Write(SipMessage request, in PeerAddress source, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(request);
        var w = new SipMessageWriter(destination);
        SipResponses.WriteHead(ref w, request, source, StatusCode, Encoding.UTF8.GetBytes(Reason), Encoding.ASCII.GetBytes(ToTag));
        foreach (KeyValuePair<string, string> h in _headers)
        {
            w.Append(Encoding.ASCII.GetBytes(h.Key));
            w.Append(": "u8);
            w.Append(Encoding.UTF8.GetBytes(h.Value));
            w.Append("\r\n"u8);
        }
        w.End();
        return w.Overflowed ? -1 : w.Length;
    }

    /// <summary>Diagnostic form: "401 Unauthorized".</summary>
    public override string ToString() => $"{StatusCode} {Reason}";
}
