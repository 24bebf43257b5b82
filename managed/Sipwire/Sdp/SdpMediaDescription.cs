// One m= section with its lines (RFC 8866 §5.14) and typed views of its attributes.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;

namespace Sipwire.Sdp;

/// <summary>A media description: m=&lt;media&gt; &lt;port&gt;[/&lt;count&gt;] &lt;proto&gt; &lt;fmt&gt; ... and its i/c/b/k/a lines.</summary>
public sealed class SdpMediaDescription
{
    /// <summary>"audio", "video", "application", ...</summary>
    public string Media { get; set; } = "audio";

    /// <summary>The transport port (0 = stream rejected or disabled, RFC 3264 §6).</summary>
    public int Port { get; set; }

    /// <summary>Number of ports (the /count suffix), 1 when absent.</summary>
    public int PortCount { get; set; } = 1;

    /// <summary>"RTP/AVP", "RTP/SAVP", "UDP/TLS/RTP/SAVPF", ...</summary>
    public string Protocol { get; set; } = "RTP/AVP";

    /// <summary>The format list (payload type numbers for RTP).</summary>
    public List<string> Formats { get; } = [];

    /// <summary>i= media title, null when absent.</summary>
    public string? Information { get; set; }

    /// <summary>c= lines of this media (RFC 8866 allows several for multicast).</summary>
    public List<SdpConnection> Connections { get; } = [];

    /// <summary>b= lines as written ("AS:64").</summary>
    public List<string> Bandwidths { get; } = [];

    /// <summary>k= (obsolete) as written, null when absent.</summary>
    public string? Key { get; set; }

    /// <summary>a= lines in order.</summary>
    public List<SdpAttributeField> Attributes { get; } = [];

    /// <summary>The value of the first attribute named <paramref name="name"/>; null when absent or a property.</summary>
    public string? GetAttribute(string name) => SdpSessionDescription.Find(Attributes, name)?.Value;

    /// <summary>True when an attribute named <paramref name="name"/> is present.</summary>
    public bool HasAttribute(string name) => SdpSessionDescription.Find(Attributes, name) is not null;

    /// <summary>a=ptime in milliseconds, -1 when absent.</summary>
    public int PTime => SdpSessionDescription.ParseIntOrMinusOne(GetAttribute("ptime"));

    /// <summary>a=maxptime in milliseconds, -1 when absent.</summary>
    public int MaxPTime => SdpSessionDescription.ParseIntOrMinusOne(GetAttribute("maxptime"));

    /// <summary>The media-level direction attribute, else <paramref name="sessionDefault"/> (RFC 3264 §5.1, RFC 8866 §6.7).</summary>
    public SdpDirection GetDirection(SdpDirection sessionDefault) => SdpSessionDescription.DirectionOf(Attributes) ?? sessionDefault;

    /// <summary>Every a=rtpmap of this media.</summary>
    public IEnumerable<SdpRtpMap> RtpMaps
    {
        get
        {
            foreach (SdpAttributeField a in Attributes)
            {
                if (a.Name == "rtpmap" && SdpSessionDescription.TryParseRtpMap(a.Value, out SdpRtpMap? map)) yield return map!;
            }
        }
    }

    /// <summary>The a=fmtp parameters of <paramref name="payloadType"/>, null when absent.</summary>
    public string? GetFmtp(int payloadType)
    {
        string prefix = payloadType.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ";
        foreach (SdpAttributeField a in Attributes)
        {
            if (a.Name == "fmtp" && a.Value is not null && a.Value.StartsWith(prefix, System.StringComparison.Ordinal)) return a.Value[prefix.Length..];
        }
        return null;
    }

    /// <summary>Every a=crypto of this media (RFC 4568).</summary>
    public IEnumerable<SdpCrypto> Cryptos
    {
        get
        {
            foreach (SdpAttributeField a in Attributes)
            {
                if (a.Name == "crypto" && SdpSessionDescription.TryParseCrypto(a.Value, out SdpCrypto? c)) yield return c!;
            }
        }
    }
}
