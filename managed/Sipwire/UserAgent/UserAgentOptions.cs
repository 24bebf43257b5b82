// Identity, addresses and media capabilities of a UA core's calls.
// SPDX-License-Identifier: MIT

using System;
using System.Net;
using Sipwire.Session;

namespace Sipwire.UserAgent;

/// <summary>What a <see cref="UserAgentCore"/> needs to place and answer calls.</summary>
public sealed record UserAgentOptions
{
    /// <summary>Our identity, the From of calls we place: "sip:alice@example.test".</summary>
    public required string LocalUri { get; init; }

    /// <summary>Our Contact URI, where the peer sends in-dialog requests: "sip:alice@192.0.2.1:5060".</summary>
    public required string ContactUri { get; init; }

    /// <summary>host:port of our Via sent-by (§18.1.1).</summary>
    public required string LocalSentBy { get; init; }

    /// <summary>The address media is received at (SDP c=).</summary>
    public required IPAddress MediaAddress { get; init; }

    /// <summary>First RTP port; call n uses RtpPortBase + 2n (even, RFC 3550 §11).</summary>
    public int RtpPortBase { get; init; } = 40000;

    /// <summary>Most RTP ports in the range (the port of call n wraps within it).</summary>
    public int RtpPortCount { get; init; } = 1000;

    /// <summary>Codecs, DTMF, ptime, SRTP policy.</summary>
    public SessionCapabilities Capabilities { get; init; } = new();

    /// <summary>The endpoint options (T1/T2 and the dialog table limit) the transaction layer runs with.</summary>
    public EndpointOptions Endpoint { get; init; } = new();

    /// <summary>End-to-end body protection (S/MIME, RFC 3261 §23), e.g. Sipwire.Smime's SmimeBodyProtector: unwraps
    /// protected incoming bodies and protects outgoing MESSAGE and SDP bodies. Null leaves bodies as they are.</summary>
    public IBodyProtector? BodyProtector { get; init; }

    /// <summary>What outgoing MESSAGE and SDP bodies get from <see cref="BodyProtector"/> (none by default).</summary>
    public BodyProtection ProtectBodies { get; init; } = BodyProtection.None;

    /// <summary>Reliable provisional responses (RFC 3262): off, supported (default) or required.</summary>
    public ReliableProvisionalMode ReliableProvisional { get; init; } = ReliableProvisionalMode.Supported;

    /// <summary>Session interval we ask for (RFC 4028 Session-Expires); <see cref="TimeSpan.Zero"/> turns session timers off. Default 1800 s (§4).</summary>
    public TimeSpan SessionExpires { get; init; } = TimeSpan.FromSeconds(1800);

    /// <summary>The shortest session interval we accept (RFC 4028 Min-SE); at least 90 s (§4).</summary>
    public TimeSpan MinSessionExpires { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Most 3xx redirections one call follows (RFC 3261 §8.1.3.4); 0 turns following off.</summary>
    public int MaxRedirects { get; init; } = 5;

    /// <summary>Digest credentials for calls (RFC 3261 §22.2): a 401/407 to INVITE, BYE, re-INVITE, UPDATE, PRACK, REFER or INFO is answered once per challenge and the realm's challenge is reused pre-emptively in the dialog. Empty: challenges end the call/request.</summary>
    public System.Collections.Generic.IReadOnlyList<SipCredentials> Credentials { get; init; } = [];

    /// <summary>Outbound proxy URI ("sip:proxy.example.test;lr"): every out-of-dialog request (INVITE, REGISTER of <see cref="UserAgentCore.AddRegistration"/>, MESSAGE, SUBSCRIBE, PUBLISH) carries a preloaded Route to it (RFC 3261 §8.1.2, §16.12 loose routing). Null: no Route.</summary>
    public string? OutboundProxy { get; init; }

    /// <summary>Random source for the §14.1 glare timer, RSeq and Retry-After values; null uses a shared one. Inject a seeded one for deterministic tests.</summary>
    public Random? Random { get; init; }

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is missing or out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(LocalUri);
        ArgumentException.ThrowIfNullOrWhiteSpace(ContactUri);
        ArgumentException.ThrowIfNullOrWhiteSpace(LocalSentBy);
        ArgumentNullException.ThrowIfNull(MediaAddress);
        foreach (string s in (string[])[LocalUri, ContactUri, LocalSentBy])
        {
            foreach (char c in s)
            {
                if (char.IsControl(c)) throw new ArgumentException("UserAgentOptions values must not contain control characters.");
            }
        }
        if (RtpPortBase is <= 0 or > 65534 || RtpPortBase % 2 != 0) throw new ArgumentException($"RtpPortBase must be even and below 65535, not {RtpPortBase}.");
        if (RtpPortCount < 2 || RtpPortBase + RtpPortCount > 65536) throw new ArgumentException("RtpPortCount must be at least 2 and stay below port 65536.");
        if (MinSessionExpires < TimeSpan.FromSeconds(90)) throw new ArgumentException("MinSessionExpires must be at least 90 s (RFC 4028 §4).");
        if (SessionExpires != TimeSpan.Zero && SessionExpires < MinSessionExpires) throw new ArgumentException("SessionExpires must be zero (off) or at least MinSessionExpires (RFC 4028 §4).");
        if (SessionExpires > TimeSpan.FromSeconds(uint.MaxValue / 2)) throw new ArgumentException("SessionExpires is too large.");
        if (OutboundProxy is not null && !OutboundRoute.IsValid(OutboundProxy)) throw new ArgumentException($"OutboundProxy '{OutboundProxy}' is not a SIP URI.");
        ArgumentNullException.ThrowIfNull(Credentials);
        if (MaxRedirects is < 0 or > 100) throw new ArgumentException($"MaxRedirects must be 0-100, not {MaxRedirects}.");
        if ((ProtectBodies & ~BodyProtection.SignAndEncrypt) != 0) throw new ArgumentException($"Unknown body protection {ProtectBodies}.");
        if (ProtectBodies != BodyProtection.None && BodyProtector is null) throw new ArgumentException("ProtectBodies needs a BodyProtector.");
        Capabilities.Validate();
        Endpoint.Validate();
    }
}
