// `sipwire parse [--json] [--datagram|--stream] FILE...`: checks SIP messages and reports each verdict.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Text.Json;
using Sipwire.Sip;

namespace Sipwire.Cli;

/// <summary>
/// Parses each file as one SIP message and prints "FILE: valid" or "FILE: invalid: reason (status)".
/// Exit code: 0 all valid, 1 any invalid, 2 usage or I/O error.
/// </summary>
internal static class ParseCommand
{
    private const string Usage = "usage: sipwire parse [--json] [--datagram|--stream] FILE...";

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr)
    {
        bool json = false;
        SipFraming framing = SipFraming.Datagram;
        int first = 0;
        for (; first < args.Length && args[first].StartsWith("--", StringComparison.Ordinal); first++)
        {
            switch (args[first])
            {
                case "--json": json = true; break;
                case "--datagram": framing = SipFraming.Datagram; break;
                case "--stream": framing = SipFraming.Stream; break;
                case "--": first++; goto files;
                default:
                    stderr.WriteLine($"sipwire parse: unknown option '{args[first]}'");
                    stderr.WriteLine(Usage);
                    return 2;
            }
        }
    files:
        if (first >= args.Length)
        {
            stderr.WriteLine(Usage);
            return 2;
        }

        int exit = 0;
        var message = new SipMessage();
        for (int i = first; i < args.Length; i++)
        {
            string file = args[i];
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                stderr.WriteLine($"sipwire parse: {file}: {ex.Message}");
                return 2;
            }
            SipParseResult r = SipParser.Parse(bytes.AsMemory(), framing, message);
            if (r.Status == SipParseStatus.Done)
            {
                stdout.WriteLine($"{file}: valid");
                if (json) WriteJson(stdout, message);
            }
            else if (r.Status == SipParseStatus.NeedMoreData)
            {
                stdout.WriteLine($"{file}: invalid: incomplete message (stream framing needs more data) (400)");
                exit = 1;
            }
            else
            {
                stdout.WriteLine($"{file}: invalid: {SipErrors.ReasonPhrase(r.Error)} [{r.Error} at byte {r.Position}] ({SipErrors.ToStatusCode(r.Error)})");
                exit = 1;
            }
        }
        return exit;
    }

    private static void WriteJson(TextWriter stdout, SipMessage m)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (m.IsRequest)
            {
                w.WriteString("type", "request");
                w.WriteString("method", m.MethodName);
                w.WriteString("requestUri", m.RequestUri);
            }
            else
            {
                w.WriteString("type", "response");
                w.WriteNumber("statusCode", m.StatusCode);
                w.WriteString("reasonPhrase", m.ReasonPhrase);
            }
            w.WriteString("version", m.Version);
            w.WriteStartArray("headers");
            for (int i = 0; i < m.HeaderCount; i++)
            {
                SipHeaderEntry h = m.GetHeader(i);
                w.WriteStartObject();
                w.WriteString("name", h.Name.Slice(m.Span));
                if (h.Kind != SipHeaderKind.Unknown) w.WriteString("kind", SipHeaderNames.GetNameString(h.Kind));
                w.WriteString("value", h.Value.Slice(m.Span));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            SipVia via = m.TopVia;
            w.WriteStartObject("topVia");
            w.WriteString("transport", via.Transport);
            w.WriteString("host", via.Host);
            if (via.Port >= 0) w.WriteNumber("port", via.Port);
            if (via.HasBranch) w.WriteString("branch", via.Branch);
            if (via.HasReceived) w.WriteString("received", via.Received);
            if (via.HasRPort) w.WriteNumber("rport", via.RPort);
            w.WriteEndObject();
            w.WriteNumber("viaCount", m.ViaCount);
            w.WriteString("callId", m.CallId);
            w.WriteNumber("cseq", m.CSeqNumber);
            w.WriteString("cseqMethod", m.CSeqMethodName);
            w.WriteString("fromUri", m.From.Uri);
            if (m.From.HasTag) w.WriteString("fromTag", m.From.Tag);
            w.WriteString("toUri", m.To.Uri);
            if (m.To.HasTag) w.WriteString("toTag", m.To.Tag);
            if (m.Contact.IsPresent) w.WriteString("contact", m.Contact.IsStar ? "*"u8 : m.Contact.Uri);
            if (m.MaxForwards >= 0) w.WriteNumber("maxForwards", m.MaxForwards);
            if (m.ContentLength >= 0) w.WriteNumber("contentLength", m.ContentLength);
            if (!m.ContentType.IsEmpty) w.WriteString("contentType", m.ContentType);
            w.WriteNumber("bodyLength", m.Body.Length);
            w.WriteEndObject();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
