// The fuzz target: parse bytes as a SIP message (both framings) and as SDP, read everything, check invariants.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Sdp;
using Sipwire.Sip;

namespace Sipwire.Fuzz;

/// <summary>
/// One fuzz iteration. Any exception, or a broken invariant (thrown as <see cref="InvariantException"/>),
/// is a finding. Reuses one message like a receive loop does.
/// </summary>
internal sealed class FuzzTarget
{
    private readonly SipMessage _message = new();
    private readonly SipMessage _other = new();

    /// <summary>Inputs that parsed as a whole datagram message (a measure of how deep the run gets).</summary>
    public long Accepted { get; private set; }

    /// <summary>Bytes of input seen.</summary>
    public long Bytes { get; private set; }

    public void Run(ReadOnlySpan<byte> input)
    {
        Bytes += input.Length;
        SipParseResult d = SipParser.Parse(input, SipFraming.Datagram, _message);
        Check(d, input.Length);
        if (d.IsDone)
        {
            Accepted++;
            ReadEverything(_message);
            // The body of an accepted message goes through the SDP parser too (seeds carry SDP bodies).
            RunSdp(_message.Body);
        }

        SipParseResult s = SipParser.Parse(input, SipFraming.Stream, _other);
        Check(s, input.Length);
        if (s.IsDone)
        {
            ReadEverything(_other);
            // A framed stream message is a valid datagram of exactly the same bytes.
            SipParseResult again = SipParser.Parse(input[(s.Consumed - _other.Length)..s.Consumed], SipFraming.Datagram, _message);
            if (!again.IsDone || _message.Length != _other.Length) throw new InvariantException("stream message does not re-parse as a datagram");
            // Every strict prefix of a framed message is incomplete, never Done (sampled: 8 cut points).
            for (int k = 1; k <= 8; k++)
            {
                int cut = (int)((long)s.Consumed * k / 9);
                if (cut <= s.Consumed - _other.Length) continue;
                SipParseResult p = SipParser.Parse(input[..cut], SipFraming.Stream, _message);
                if (p.IsDone) throw new InvariantException($"prefix of {cut} bytes parsed as a whole message");
            }
        }

        RunSdp(input);
    }

    private static void RunSdp(ReadOnlySpan<byte> input)
    {
        if (SdpSessionDescription.TryParse(input, out SdpSessionDescription? sdp, out _) == SdpError.None)
        {
            // Serialization must re-parse to the same text (round trip is a fixed point).
            byte[] bytes = sdp!.ToBytes();
            if (SdpSessionDescription.TryParse(bytes, out SdpSessionDescription? back, out _) != SdpError.None || back!.ToString() != sdp.ToString())
                throw new InvariantException("SDP serialization does not round-trip");
        }
    }

    private static void Check(SipParseResult r, int length)
    {
        if (r.Status == SipParseStatus.Done && (r.Consumed <= 0 || r.Consumed > length)) throw new InvariantException("Done with a bad Consumed");
        if (r.Status == SipParseStatus.Invalid && (r.Error == SipParseError.None || r.Position < 0 || r.Position > length))
            throw new InvariantException($"Invalid without a reason or with position {r.Position}");
        if (r.Status == SipParseStatus.Invalid && SipErrors.ToStatusCode(r.Error) is < 400 or > 599) throw new InvariantException("no error status");
    }

    private static void ReadEverything(SipMessage m)
    {
        long n = m.MethodName.Length + m.RequestUri.Length + m.ReasonPhrase.Length + m.CallId.Length + m.CSeqNumber
            + m.CSeqMethodName.Length + m.MaxForwards + m.ContentLength + m.Body.Length + m.Expires + m.ContentType.Length;
        SipNameAddress from = m.From, to = m.To, contact = m.Contact;
        n += from.Tag.Length + from.Uri.Length + to.Tag.Length + to.DisplayName.Length + contact.Uri.Length + contact.QMillis;
        foreach (SipVia v in m.Vias) n += v.Branch.Length + v.Host.Length + v.Port + v.RPort + v.Received.Length + v.Maddr.Length + v.Ttl;
        for (int i = 0; i < m.HeaderCount; i++) n += m.GetHeaderName(i).Length + m.GetHeaderValue(i).Length;
        if (m.IsRequest)
        {
            if (!SipUri.TryParse(m.RequestUri, out SipUri? uri)) throw new InvariantException("accepted Request-URI does not parse as SipUri");
            if (!uri!.Equals(uri)) throw new InvariantException("URI not equal to itself");
            n += uri.ToString().Length;
            n += (int)SipRequestChecks.CheckRequestUriScheme(m) + (int)SipRequestChecks.CheckAccept(m, ["application/sdp"]);
        }
        if (SipUri.TryParse(from.Uri, out SipUri? f) && !f!.Equals(f)) throw new InvariantException("From URI not equal to itself");
        if (n == long.MinValue) throw new InvariantException("unreachable");
    }
}
