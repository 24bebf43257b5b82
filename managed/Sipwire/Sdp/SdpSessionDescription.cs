// An SDP session description: parse (never throws on bad input) and serialize (RFC 8866 §5, §9).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Sipwire.Sip.Parsing;

namespace Sipwire.Sdp;

/// <summary>
/// A session description with its media sections. <see cref="TryParse"/> checks the RFC 8866 line
/// order and the fields a phone relies on (o, c with IPv4/IPv6 addresses, t, m, rtpmap, fmtp,
/// ptime, crypto); <see cref="ToString"/> writes the lines back in RFC order with CRLF.
/// </summary>
public sealed class SdpSessionDescription
{
    /// <summary>Largest body accepted by <see cref="TryParse"/>.</summary>
    public const int MaxLength = 65535;

    /// <summary>o= line.</summary>
    public SdpOrigin Origin { get; set; } = new("-", "0", 0, "IN", "IP4", "0.0.0.0");

    /// <summary>s= session name ("-" when there is none, RFC 8866 §5.3).</summary>
    public string SessionName { get; set; } = "-";

    /// <summary>i=, null when absent.</summary>
    public string? Information { get; set; }

    /// <summary>u=, null when absent.</summary>
    public string? Uri { get; set; }

    /// <summary>e= lines.</summary>
    public List<string> Emails { get; } = [];

    /// <summary>p= lines.</summary>
    public List<string> Phones { get; } = [];

    /// <summary>Session-level c=, null when every media has its own.</summary>
    public SdpConnection? Connection { get; set; }

    /// <summary>b= lines as written.</summary>
    public List<string> Bandwidths { get; } = [];

    /// <summary>t= lines with their r= lines, as written ("0 0" for a permanent session).</summary>
    public List<string> Timings { get; } = [];

    /// <summary>z= as written, null when absent.</summary>
    public string? TimeZones { get; set; }

    /// <summary>k= (obsolete) as written, null when absent.</summary>
    public string? Key { get; set; }

    /// <summary>Session-level a= lines in order.</summary>
    public List<SdpAttributeField> Attributes { get; } = [];

    /// <summary>m= sections in order.</summary>
    public List<SdpMediaDescription> Media { get; } = [];

    /// <summary>The session-level direction (sendrecv when none is given).</summary>
    public SdpDirection Direction => DirectionOf(Attributes) ?? SdpDirection.SendRecv;

    /// <summary>
    /// Parses an SDP body (UTF-8; CRLF or LF line ends, RFC 8866 §5). Returns the error and the
    /// 1-based line number instead of throwing.
    /// </summary>
    public static SdpError TryParse(ReadOnlySpan<byte> body, out SdpSessionDescription? session, out int line)
    {
        session = null;
        line = 0;
        if (body.Length > MaxLength) return SdpError.TooLarge;
        var s = new SdpSessionDescription();
        SdpMediaDescription? media = null;
        // RFC 8866 §9: session lines come in the order v o s i u e p c b (t r)+ z k a, then media.
        const string SessionOrder = "vosiuepcbtrzka";
        int lastRank = -1;
        bool sawOrigin = false, sawName = false;
        int pos = 0;
        while (pos < body.Length)
        {
            int nl = body[pos..].IndexOf((byte)'\n');
            int end = nl < 0 ? body.Length : pos + nl;
            int next = nl < 0 ? body.Length : end + 1;
            if (end > pos && body[end - 1] == '\r') end--;
            ReadOnlySpan<byte> raw = body[pos..end];
            pos = next;
            line++;
            if (raw.IsEmpty)
            {
                // A trailing empty line is tolerated; an empty line in the middle is not a type=value line.
                if (pos >= body.Length) break;
                return SdpError.BadLine;
            }
            if (raw.Length < 2 || raw[1] != '=' || raw[0] is < (byte)'a' or > (byte)'z') return SdpError.BadLine;
            char type = (char)raw[0];
            string value;
            try
            {
                value = new UTF8Encoding(false, true).GetString(raw[2..]);
            }
            catch (DecoderFallbackException)
            {
                return SdpError.BadLine;
            }
            if (line == 1)
            {
                if (type != 'v' || value != "0") return SdpError.BadVersion;
                lastRank = 0;
                continue;
            }
            if (type == 'v') return SdpError.BadLine;
            if (type == 'm')
            {
                if (!sawOrigin || !sawName || s.Timings.Count == 0) return SdpError.MissingField;
                media = ParseMediaLine(value);
                if (media is null) return SdpError.BadMedia;
                s.Media.Add(media);
                continue;
            }
            if (media is not null)
            {
                switch (type)
                {
                    case 'i': media.Information = value; break;
                    case 'c':
                        SdpConnection? mc = ParseConnection(value);
                        if (mc is null) return SdpError.BadConnection;
                        media.Connections.Add(mc);
                        break;
                    case 'b':
                        if (!IsBandwidth(value)) return SdpError.BadBandwidth;
                        media.Bandwidths.Add(value);
                        break;
                    case 'k': media.Key = value; break;
                    case 'a':
                        SdpAttributeField? ma = ParseAttribute(value);
                        if (ma is null) return SdpError.BadAttribute;
                        media.Attributes.Add(ma);
                        break;
                    default: return SdpError.BadLine;
                }
                continue;
            }
            int rank = SessionOrder.IndexOf(type, StringComparison.Ordinal);
            if (rank < 0) return SdpError.BadLine;
            // Repeats of e, p, b, t (with r), a are allowed; otherwise the order is strict.
            bool repeatable = type is 'e' or 'p' or 'b' or 't' or 'r' or 'a';
            if (rank < lastRank || (rank == lastRank && !repeatable))
            {
                if (!(type == 't' && SessionOrder[lastRank] == 'r')) return SdpError.MissingField;
            }
            lastRank = rank;
            switch (type)
            {
                case 'o':
                    SdpOrigin? o = ParseOrigin(value);
                    if (o is null) return SdpError.BadOrigin;
                    s.Origin = o;
                    sawOrigin = true;
                    break;
                case 's':
                    // RFC 8866 §5.3 asks senders for a non-empty s= ("-" for none); receivers accept the
                    // empty one older stacks send (RFC 5118 §4.8 carries "s=").
                    s.SessionName = value;
                    sawName = true;
                    break;
                case 'i': s.Information = value; break;
                case 'u': s.Uri = value; break;
                case 'e': s.Emails.Add(value); break;
                case 'p': s.Phones.Add(value); break;
                case 'c':
                    s.Connection = ParseConnection(value);
                    if (s.Connection is null) return SdpError.BadConnection;
                    break;
                case 'b':
                    if (!IsBandwidth(value)) return SdpError.BadBandwidth;
                    s.Bandwidths.Add(value);
                    break;
                case 't':
                    if (!IsTiming(value)) return SdpError.BadTiming;
                    s.Timings.Add(value);
                    break;
                case 'r':
                    if (s.Timings.Count == 0) return SdpError.BadTiming;
                    s.Timings[^1] += "\nr=" + value;
                    break;
                case 'z': s.TimeZones = value; break;
                case 'k': s.Key = value; break;
                case 'a':
                    SdpAttributeField? a = ParseAttribute(value);
                    if (a is null) return SdpError.BadAttribute;
                    s.Attributes.Add(a);
                    break;
            }
        }
        if (line == 0) return SdpError.BadVersion;
        if (!sawOrigin || !sawName || s.Timings.Count == 0) return SdpError.MissingField;
        // RFC 8866 §5.7: c= at session level or in every media description.
        if (s.Connection is null)
        {
            foreach (SdpMediaDescription m in s.Media)
            {
                if (m.Connections.Count == 0) return SdpError.MissingConnection;
            }
        }
        session = s;
        line = 0;
        return SdpError.None;
    }

    /// <summary>Writes the description with CRLF line ends in RFC 8866 order.</summary>
    public override string ToString()
    {
        var b = new StringBuilder(512);
        Line(b, 'v', "0");
        Line(b, 'o', Origin.ToString());
        Line(b, 's', SessionName);
        if (Information is not null) Line(b, 'i', Information);
        if (Uri is not null) Line(b, 'u', Uri);
        foreach (string e in Emails) Line(b, 'e', e);
        foreach (string p in Phones) Line(b, 'p', p);
        if (Connection is not null) Line(b, 'c', Connection.ToString());
        foreach (string bw in Bandwidths) Line(b, 'b', bw);
        foreach (string t in Timings) Line(b, 't', t.Replace("\n", "\r\n", StringComparison.Ordinal));
        if (TimeZones is not null) Line(b, 'z', TimeZones);
        if (Key is not null) Line(b, 'k', Key);
        foreach (SdpAttributeField a in Attributes) Line(b, 'a', a.ToString());
        foreach (SdpMediaDescription m in Media)
        {
            string port = m.PortCount > 1 ? $"{m.Port}/{m.PortCount}" : m.Port.ToString(CultureInfo.InvariantCulture);
            Line(b, 'm', $"{m.Media} {port} {m.Protocol} {string.Join(' ', m.Formats)}");
            if (m.Information is not null) Line(b, 'i', m.Information);
            foreach (SdpConnection c in m.Connections) Line(b, 'c', c.ToString());
            foreach (string bw in m.Bandwidths) Line(b, 'b', bw);
            if (m.Key is not null) Line(b, 'k', m.Key);
            foreach (SdpAttributeField a in m.Attributes) Line(b, 'a', a.ToString());
        }
        return b.ToString();
    }

    /// <summary>The serialized description as UTF-8 bytes.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToString());

    private static void Line(StringBuilder b, char type, string value) => b.Append(type).Append('=').Append(value).Append("\r\n");

    internal static SdpAttributeField? Find(List<SdpAttributeField> attributes, string name)
    {
        foreach (SdpAttributeField a in attributes)
        {
            if (a.Name == name) return a;
        }
        return null;
    }

    internal static SdpDirection? DirectionOf(List<SdpAttributeField> attributes)
    {
        foreach (SdpAttributeField a in attributes)
        {
            switch (a.Name)
            {
                case "sendrecv": return SdpDirection.SendRecv;
                case "sendonly": return SdpDirection.SendOnly;
                case "recvonly": return SdpDirection.RecvOnly;
                case "inactive": return SdpDirection.Inactive;
            }
        }
        return null;
    }

    internal static int ParseIntOrMinusOne(string? v) =>
        v is not null && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1;

    private static SdpOrigin? ParseOrigin(string v)
    {
        string[] f = v.Split(' ');
        if (f.Length != 6 || f[0].Length == 0 || !IsDigits(f[1])
            || !ulong.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out ulong version))
            return null;
        if (!IsAddressOfType(f[4], f[5], allowMulticastSuffix: false)) return null;
        return new SdpOrigin(f[0], f[1], version, f[3], f[4], f[5]);
    }

    private static SdpConnection? ParseConnection(string v)
    {
        string[] f = v.Split(' ');
        if (f.Length != 3 || f[0].Length == 0) return null;
        return IsAddressOfType(f[1], f[2], allowMulticastSuffix: true) ? new SdpConnection(f[0], f[1], f[2]) : null;
    }

    /// <summary>RFC 8866 §9: IP4 takes a dotted quad or an FQDN, IP6 an IPv6 address or FQDN (RFC 5118 §4.6).</summary>
    private static bool IsAddressOfType(string addrType, string address, bool allowMulticastSuffix)
    {
        string a = address;
        if (allowMulticastSuffix)
        {
            int slash = a.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                foreach (string part in a[(slash + 1)..].Split('/'))
                {
                    if (!IsDigits(part)) return false;
                }
                a = a[..slash];
            }
        }
        byte[] bytes = Encoding.ASCII.GetBytes(a);
        bool fqdn = SipSyntax.IsHostname(bytes) && !SipSyntax.IsDigit(bytes[^1]);
        return addrType switch
        {
            "IP4" => SipSyntax.IsIPv4(bytes) || fqdn,
            "IP6" => SipSyntax.IsIPv6(bytes) || fqdn,
            _ => a.Length > 0 && a.IndexOf(' ', StringComparison.Ordinal) < 0,
        };
    }

    private static SdpMediaDescription? ParseMediaLine(string v)
    {
        string[] f = v.Split(' ');
        if (f.Length < 4 || f[0].Length == 0 || f[2].Length == 0) return null;
        var m = new SdpMediaDescription { Media = f[0], Protocol = f[2] };
        string port = f[1];
        int slash = port.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!int.TryParse(port[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1) return null;
            m.PortCount = count;
            port = port[..slash];
        }
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p > 65535) return null;
        m.Port = p;
        for (int i = 3; i < f.Length; i++)
        {
            if (f[i].Length == 0) return null;
            // RFC 3551: RTP/AVP formats are payload type numbers 0-127.
            if (m.Protocol.Contains("RTP/", StringComparison.Ordinal)
                && (!int.TryParse(f[i], NumberStyles.None, CultureInfo.InvariantCulture, out int pt) || pt > 127))
                return null;
            m.Formats.Add(f[i]);
        }
        return m;
    }

    private static SdpAttributeField? ParseAttribute(string v)
    {
        int colon = v.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? v : v[..colon];
        string? value = colon < 0 ? null : v[(colon + 1)..];
        if (name.Length == 0) return null;
        foreach (char c in name)
        {
            if (c > 0x7F || !SipSyntax.IsToken((byte)c)) return null;
        }
        var a = new SdpAttributeField(name, value);
        // Check the attributes whose syntax the media layer depends on.
        switch (name)
        {
            case "rtpmap": return TryParseRtpMap(value, out _) ? a : null;
            case "ptime":
            case "maxptime": return ParseIntOrMinusOne(value) > 0 ? a : null;
            case "crypto": return TryParseCrypto(value, out _) ? a : null;
            case "fmtp":
                int sp = value?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
                return value is not null && (sp > 0 ? value[..sp] : value).Length > 0 ? a : null;
            default: return a;
        }
    }

    internal static bool TryParseRtpMap(string? v, out SdpRtpMap? map)
    {
        map = null;
        if (v is null) return false;
        int sp = v.IndexOf(' ', StringComparison.Ordinal);
        if (sp <= 0 || !int.TryParse(v.AsSpan(0, sp), NumberStyles.None, CultureInfo.InvariantCulture, out int pt) || pt > 127) return false;
        string[] f = v[(sp + 1)..].Split('/');
        if (f.Length is < 2 or > 3 || f[0].Length == 0) return false;
        if (!int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int clock) || clock == 0) return false;
        int channels = 1;
        if (f.Length == 3 && (!int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out channels) || channels == 0)) return false;
        map = new SdpRtpMap(pt, f[0], clock, channels);
        return true;
    }

    /// <summary>RFC 4568 §9.1: tag 1*9DIGIT, crypto-suite, key-params "inline:" ... separated by ';', session params.</summary>
    internal static bool TryParseCrypto(string? v, out SdpCrypto? crypto)
    {
        crypto = null;
        if (v is null) return false;
        string[] f = v.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 3 || f[0].Length > 9 || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int tag)) return false;
        if (f[1].Length == 0 || f[1].IndexOfAny(['=', ':']) >= 0) return false;
        var keys = new List<SdpCryptoKey>();
        foreach (string kp in f[2].Split(';'))
        {
            if (!kp.StartsWith("inline:", StringComparison.Ordinal)) return false;
            string[] parts = kp[7..].Split('|');
            string key = parts[0];
            if (key.Length == 0 || !IsBase64(key)) return false;
            string? lifetime = null, mki = null;
            int mkiLength = 0;
            for (int i = 1; i < parts.Length; i++)
            {
                int c = parts[i].IndexOf(':', StringComparison.Ordinal);
                if (c > 0)
                {
                    // MKI ":" MKI-length (1*3DIGIT, 1-128).
                    if (mki is not null || !IsDigits(parts[i][..c]) || !int.TryParse(parts[i][(c + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out mkiLength)
                        || mkiLength is < 1 or > 128)
                        return false;
                    mki = parts[i][..c];
                }
                else
                {
                    if (lifetime is not null || mki is not null) return false;
                    string l = parts[i];
                    if (!(IsDigits(l) || (l.StartsWith("2^", StringComparison.Ordinal) && IsDigits(l[2..])))) return false;
                    lifetime = l;
                }
            }
            keys.Add(new SdpCryptoKey(key, lifetime, mki, mkiLength));
        }
        var sessionParams = new List<string>();
        for (int i = 3; i < f.Length; i++) sessionParams.Add(f[i]);
        crypto = new SdpCrypto(tag, f[1], keys, sessionParams);
        return true;
    }

    private static bool IsBase64(string s)
    {
        foreach (char c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=')) return false;
        }
        return true;
    }

    private static bool IsDigits(string s)
    {
        if (s.Length == 0) return false;
        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    private static bool IsBandwidth(string v)
    {
        int c = v.IndexOf(':', StringComparison.Ordinal);
        return c > 0 && IsDigits(v[(c + 1)..]);
    }

    private static bool IsTiming(string v)
    {
        string[] f = v.Split(' ');
        return f.Length == 2 && IsDigits(f[0]) && IsDigits(f[1]);
    }
}
