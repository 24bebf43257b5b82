// End-to-end body protection in the UA core (RFC 3261 §23): S/MIME bodies are unwrapped before any feature sees them, outgoing bodies protected.
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using Sipwire.Sip;
using Sipwire.Transactions;

namespace Sipwire.UserAgent;

public sealed partial class UserAgentCore
{
    /// <summary>Raised for each incoming request or response whose body was S/MIME protected, with the verdict
    /// (valid, untrusted, signer mismatch) or the reason it was refused.</summary>
    public event Action<BodyProtectionEvent>? BodyUnprotected;

    /// <summary>Why the last outgoing SDP could not be protected (no certificate for the peer, ...); the message was
    /// not sent and the call ended. Null while nothing failed.</summary>
    public string? LastBodyProtectionError { get; private set; }

    /// <summary>
    /// Unwraps a protected request body. Returns false when the request was answered here (400 malformed or
    /// altered, 415 unsupported, 493 undecipherable) and must go no further; otherwise <paramref name="request"/>
    /// is the message to dispatch - the original, or a copy carrying the inner body and Content-Type.
    /// </summary>
    private bool UnprotectRequest(Transaction? transaction, ref SipMessage request)
    {
        BodyUnprotectResult? r = Unprotect(request, SipMessage.ToText(request.From.Uri), isResponse: false);
        if (r is null) return true;
        if (!r.IsRejected) return Replace(ref request, r);
        // ACK has no response (§17.1.1.3): its refused body is dropped and the call sees no answer.
        if (transaction is null || request.Method == SipMethod.Ack) return Replace(ref request, null);
        // RFC 3261 §23.2: 493 when we cannot decrypt; §21.4.13: 415 for a body we cannot handle; 400 otherwise.
        RespondRefused(transaction, request, r);
        return false;
    }

    /// <summary>Unwraps a protected response body; a refused body is removed, so the feature sees a response
    /// without one (a 2xx without the expected answer ends the call through the usual path).</summary>
    private void UnprotectResponse(ref SipMessage response)
    {
        BodyUnprotectResult? r = Unprotect(response, SipMessage.ToText(response.To.Uri), isResponse: true);
        if (r is not null) Replace(ref response, r.IsRejected ? null : r);
    }

    /// <summary>Protects an outgoing body as <see cref="UserAgentOptions.ProtectBodies"/> asks. Returns the
    /// Content-Type, the Content-Disposition (null when none) and the body to send, or false with a reason.</summary>
    private bool TryProtectBody(string contentType, ReadOnlySpan<byte> body, string remoteUri, out string sendType, out string? disposition, out byte[] sendBody, out string reason)
    {
        reason = string.Empty;
        disposition = null;
        IBodyProtector? protector = _options?.BodyProtector;
        BodyProtection how = _options?.ProtectBodies ?? BodyProtection.None;
        if (protector is null || how == BodyProtection.None || body.IsEmpty)
        {
            sendType = contentType;
            sendBody = body.ToArray();
            return true;
        }
        BodyProtectResult r = protector.Protect(how, contentType, body, _options!.LocalUri, remoteUri);
        if (!r.Success)
        {
            // RFC 3261 §23.3: never fall back to sending the body in the clear.
            sendType = contentType;
            sendBody = [];
            reason = "S/MIME: " + r.Error;
            return false;
        }
        sendType = r.ContentType;
        disposition = r.ContentDisposition;
        sendBody = r.Body;
        return true;
    }

    /// <summary>True when SDP bodies of calls are protected (offers and answers in INVITE, 1xx/2xx, UPDATE, PRACK).</summary>
    private bool ProtectsSdp => _options?.BodyProtector is not null && _options.ProtectBodies != BodyProtection.None;

    /// <summary>Ends <paramref name="w"/> with the call's SDP (none when <paramref name="sdp"/> is null). Protected, it
    /// also writes its own Content-Type and Content-Disposition (the callers then leave Content-Type out); an SDP
    /// that cannot be protected fails the message (<see cref="SipMessageWriter.Overflowed"/>), it is never sent in the clear.</summary>
    private void EndWithSdp(ref SipMessageWriter w, SipCall call, string? sdp)
    {
        if (sdp is null)
        {
            w.End();
            return;
        }
        if (!ProtectsSdp)
        {
            w.EndWithBody(Encoding.UTF8.GetBytes(sdp));
            return;
        }
        if (!TryProtectSdp(call, sdp, out string headers, out byte[] body))
        {
            w.Fail();
            return;
        }
        w.AppendText(headers);
        w.EndWithBody(body);
    }

    /// <summary>The SDP as the body of a request sent through the dialog layer: the header lines to add (Content-Type
    /// unless the caller writes it, Content-Disposition) and the body; false when it cannot be protected.</summary>
    private bool TryProtectSdp(SipCall call, string sdp, out string headers, out byte[] body)
    {
        if (!TryProtectBody("application/sdp", Encoding.UTF8.GetBytes(sdp), call.RemoteParty, out string type, out string? disposition, out body, out string reason))
        {
            headers = string.Empty;
            LastBodyProtectionError = reason;
            return false;
        }
        headers = ProtectsSdp ? "Content-Type: " + type + "\r\n" + (disposition is null ? string.Empty : "Content-Disposition: " + disposition + "\r\n") : string.Empty;
        return true;
    }

    // Null when there is nothing to do (no protector, no body, or a body that is not S/MIME).
    private BodyUnprotectResult? Unprotect(SipMessage message, string farEnd, bool isResponse)
    {
        IBodyProtector? protector = _options?.BodyProtector;
        if (protector is null || message.Body.IsEmpty) return null;
        string contentType = SipMessage.ToText(message.ContentType);
        string? disposition = message.TryGetHeaderValue(SipHeaderKind.ContentDisposition, out ReadOnlySpan<byte> d) ? SipMessage.ToText(d) : null;
        BodyUnprotectResult r = protector.Unprotect(contentType, disposition, message.Body, farEnd);
        if (r.Status == BodyUnprotectStatus.NotProtected && r.Reason.Length == 0) return null;
        string method = isResponse ? SipMessage.ToText(message.CSeqMethodName) : SipMessage.ToText(message.MethodName);
        BodyUnprotected?.Invoke(new BodyProtectionEvent(method, isResponse ? message.StatusCode : 0, SipMessage.ToText(message.CallId), message.CSeqNumber, farEnd, r));
        return r;
    }

    private void RespondRefused(Transaction transaction, SipMessage request, BodyUnprotectResult r)
    {
        ReadOnlySpan<byte> tag = request.To.HasTag ? [] : Encoding.ASCII.GetBytes(RandomHex(16));
        string reason = r.SipStatus switch
        {
            493 => "Undecipherable",
            415 => "Unsupported Media Type",
            _ => "Bad Request",
        };
        // RFC 3261 §23.2: a 493 carries our certificate (certs-only) so that the peer can encrypt to us.
        BodyProtectResult? certs = r.SipStatus == 493 ? _options!.BodyProtector!.CertificatesOnly() : null;
        byte[] buffer = new byte[2048 + request.Length + (certs?.Body.Length ?? 0)];
        var w = new SipMessageWriter(buffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, r.SipStatus is 400 or 415 or 493 ? r.SipStatus : 400, Encoding.ASCII.GetBytes(reason), tag);
        if (r.SipStatus == 415)
        {
            // §21.4.13: say what we accept; with S/MIME that includes the protected forms.
            w.Append("Accept: application/sdp, text/plain, multipart/signed, application/pkcs7-mime\r\n"u8);
        }
        // RFC 3261 §20.43: Warning 399 carries the detail for the person debugging the peer.
        w.Append("Warning: 399 "u8);
        w.AppendText(_options!.LocalSentBy);
        w.Append(" \""u8);
        w.AppendText(r.Reason.Replace('"', '\'').Replace('\r', ' ').Replace('\n', ' '));
        w.Append("\"\r\n"u8);
        if (certs is { Success: true })
        {
            w.Append("Content-Type: "u8);
            w.AppendText(certs.ContentType);
            w.Append("\r\n"u8);
            if (certs.ContentDisposition is not null)
            {
                w.Append("Content-Disposition: "u8);
                w.AppendText(certs.ContentDisposition);
                w.Append("\r\n"u8);
            }
            w.EndWithBody(certs.Body);
        }
        else
        {
            w.End();
        }
        if (!w.Overflowed) _layer.Respond(transaction, w.Written);
        else _layer.Respond(transaction, r.SipStatus, Encoding.ASCII.GetBytes(reason), tag);
    }

    // Rebuilds the message with the inner body (or without a body when r is null): same start line and
    // headers, new Content-Type / Content-Disposition / Content-Length. Keeps the original on failure.
    private static bool Replace(ref SipMessage message, BodyUnprotectResult? r)
    {
        ReadOnlySpan<byte> span = message.Span;
        int lineEnd = span.IndexOf("\r\n"u8);
        if (lineEnd < 0) return true;
        byte[] body = r?.Body ?? [];
        byte[] buffer = new byte[message.Length + body.Length + 512];
        var w = new SipMessageWriter(buffer);
        w.Append(span[..(lineEnd + 2)]);
        for (int i = 0; i < message.HeaderCount; i++)
        {
            SipHeaderEntry h = message.GetHeader(i);
            if (h.Kind is SipHeaderKind.ContentType or SipHeaderKind.ContentLength or SipHeaderKind.ContentDisposition) continue;
            w.Append(h.Name.Slice(span));
            w.Append(": "u8);
            w.Append(h.Value.Slice(span));
            w.Append("\r\n"u8);
        }
        if (body.Length > 0 && r is not null)
        {
            w.Append("Content-Type: "u8);
            w.AppendText(r.ContentType);
            w.Append("\r\n"u8);
            if (r.ContentDisposition is not null)
            {
                w.Append("Content-Disposition: "u8);
                w.AppendText(r.ContentDisposition);
                w.Append("\r\n"u8);
            }
        }
        w.EndWithBody(body);
        if (w.Overflowed) return true;
        var copy = new SipMessage();
        if (!SipParser.Parse(w.Written, message.Framing, copy).IsDone) return true;
        message = copy;
        return true;
    }
}
