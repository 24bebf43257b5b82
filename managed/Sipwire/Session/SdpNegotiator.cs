// SPDX-License-Identifier: MIT
// SDP offer/answer for one call's audio (RFC 3264), with SDES-SRTP keys (RFC 4568).

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sipwire.Sdp;
using Sipwire.Security;

namespace Sipwire.Session;

/// <summary>
/// Builds offers and answers for one session and turns the other side's SDP into the negotiated audio.
/// Keeps what RFC 3264 §8 needs across re-offers: the origin's session id and version, the payload
/// types we assigned, and the SRTP keys we offered. One audio stream; other media are declined with
/// port 0 (§6). Not thread-safe: the call's thread drives it.
/// </summary>
public sealed class SdpNegotiator
{
    /// <summary>SRTP suites we support, strongest first (RFC 4568 §6.2).</summary>
    public static IReadOnlyList<string> SrtpSuites { get; } = ["AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"];

    private const int MasterKeySaltLength = 30; // AES_CM_128: 16-byte key + 14-byte salt (RFC 4568 §6.2.1)
    private const int FirstDynamicPayloadType = 96;
    private const int PreferredTelephoneEventPayloadType = 101;

    private readonly SessionCapabilities _capabilities;
    private readonly ulong _sessionId;
    private readonly Dictionary<int, AudioCodec> _localPayloadTypes = [];
    private readonly Dictionary<int, (string Suite, byte[] Key)> _offeredKeys = [];
    private ulong _version;
    private string? _lastBody;

    /// <summary>Creates a negotiator for a session whose RTP is received at <paramref name="localAddress"/>:<paramref name="localRtpPort"/>.</summary>
    /// <exception cref="ArgumentException">The capabilities or the port are invalid.</exception>
    public SdpNegotiator(SessionCapabilities capabilities, IPAddress localAddress, int localRtpPort)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentNullException.ThrowIfNull(localAddress);
        capabilities.Validate();
        if (localRtpPort is <= 0 or > 65534 || localRtpPort % 2 != 0)
        {
            // RFC 3550 §11: RTP on an even port, RTCP on the next odd one.
            throw new ArgumentException($"the local RTP port must be even and below 65535, not {localRtpPort}", nameof(localRtpPort));
        }
        _capabilities = capabilities;
        LocalAddress = localAddress;
        LocalRtpPort = localRtpPort;
        // RFC 8866 §5.2: sess-id and the first version are numbers the creator picks; NTP-like time is usual.
        _sessionId = (ulong)(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 2208988800L);
        _version = _sessionId;
        AssignPayloadTypes();
    }

    /// <summary>Where we receive RTP.</summary>
    public IPAddress LocalAddress { get; }

    /// <summary>Our RTP port (RTCP is the next port).</summary>
    public int LocalRtpPort { get; }

    /// <summary>Our wish for the stream: SendRecv, or SendOnly to hold the peer, Inactive for both (RFC 3264 §8.4).</summary>
    public SdpDirection LocalDirection { get; set; } = SdpDirection.SendRecv;

    /// <summary>An offer for an initial INVITE or a re-INVITE/UPDATE (hold, resume, new keys).</summary>
    public SdpSessionDescription CreateOffer()
    {
        bool secure = _capabilities.Srtp == SrtpPolicy.Required;
        var media = NewAudioMedia(secure ? "RTP/SAVP" : "RTP/AVP", LocalRtpPort);
        foreach ((int pt, AudioCodec codec) in OfferOrder())
        {
            AddFormat(media, pt, codec);
        }
        _offeredKeys.Clear();
        if (secure)
        {
            int tag = 1;
            foreach (string suite in SrtpSuites)
            {
                byte[] key = SecureRandom.GetBytes(MasterKeySaltLength);
                _offeredKeys[tag] = (suite, key);
                media.Attributes.Add(CryptoAttribute(tag, suite, key));
                tag++;
            }
        }
        AddCommonAttributes(media, LocalDirection);
        return Finish(media);
    }

    /// <summary>Answers an offer (RFC 3264 §6). On failure, answer the request with 488 and the reason.</summary>
    public OfferAnswerResult Answer(SdpSessionDescription offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var answerMedia = new List<SdpMediaDescription>();
        NegotiatedAudio? audio = null;
        string failure = "the offer has no audio stream";
        foreach (SdpMediaDescription offered in offer.Media)
        {
            SdpMediaDescription? accepted = null;
            if (audio is null && offered.Media == "audio" && offered.Port != 0)
            {
                (accepted, audio, string? reason) = AnswerAudio(offer, offered);
                failure = reason ?? failure;
            }
            answerMedia.Add(accepted ?? Declined(offered));
        }
        if (audio is null)
        {
            return OfferAnswerResult.Fail(failure);
        }
        return new OfferAnswerResult { Answer = Finish(answerMedia.ToArray()), Audio = audio };
    }

    /// <summary>Applies the answer to our last offer (RFC 3264 §7).</summary>
    public OfferAnswerResult ApplyAnswer(SdpSessionDescription answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        // §6: the answer has exactly the offer's m-lines, in order; ours has one.
        if (answer.Media.Count != 1)
        {
            return OfferAnswerResult.Fail($"the answer has {answer.Media.Count} media streams for our 1");
        }
        SdpMediaDescription media = answer.Media[0];
        if (media.Media != "audio" || media.Port == 0)
        {
            return OfferAnswerResult.Fail("the answer declined the audio stream");
        }
        bool secure = _offeredKeys.Count > 0;
        if (media.Protocol != (secure ? "RTP/SAVP" : "RTP/AVP"))
        {
            return OfferAnswerResult.Fail($"the answer changed the transport to {media.Protocol}");
        }
        if (RemoteEndPoint(answer, media) is not { } remote)
        {
            return OfferAnswerResult.Fail("the answer has no usable connection address");
        }
        var formats = new Dictionary<int, AudioCodec>();
        foreach ((int pt, AudioCodec theirs) in FormatsOf(media))
        {
            if (_localPayloadTypes.TryGetValue(pt, out AudioCodec? ours) && ours.Matches(theirs.EncodingName, theirs.ClockRate, theirs.Channels))
            {
                formats.Add(pt, ours);
            }
        }
        // The answer lists formats in its preference; the first voice codec is what we send.
        int sendPt = -1;
        foreach (string format in media.Formats)
        {
            int pt = ParsePayloadType(format);
            if (formats.TryGetValue(pt, out AudioCodec? c) && !IsTelephoneEvent(c))
            {
                sendPt = pt;
                break;
            }
        }
        if (sendPt < 0)
        {
            return OfferAnswerResult.Fail("the answer has no codec we offered");
        }
        SrtpKeys? keys = null;
        if (secure)
        {
            SdpCrypto? chosen = null;
            foreach (SdpCrypto c in media.Cryptos)
            {
                if (_offeredKeys.TryGetValue(c.Tag, out var offered) && offered.Suite == c.Suite)
                {
                    chosen = c;
                    break;
                }
            }
            if (chosen is null || DecodeKey(chosen) is not { } remoteKey)
            {
                return OfferAnswerResult.Fail("the answer has no a=crypto matching one we offered");
            }
            keys = new SrtpKeys(chosen.Suite, _offeredKeys[chosen.Tag].Key, remoteKey);
        }
        SdpDirection answered = media.GetDirection(answer.Direction);
        return new OfferAnswerResult
        {
            Audio = Negotiated(remote, formats, sendPt, media, keys,
                send: Sends(LocalDirection) && Receives(answered) && !IsNullAddress(remote.Address),
                receive: Receives(LocalDirection) && Sends(answered)),
        };
    }

    private (SdpMediaDescription? Answer, NegotiatedAudio? Audio, string? Failure) AnswerAudio(SdpSessionDescription offer, SdpMediaDescription offered)
    {
        bool secure = offered.Protocol == "RTP/SAVP";
        if (!secure && offered.Protocol != "RTP/AVP")
        {
            return (null, null, $"transport {offered.Protocol} is not supported");
        }
        if (secure && _capabilities.Srtp == SrtpPolicy.Off)
        {
            return (null, null, "SRTP is not enabled");
        }
        if (!secure && _capabilities.Srtp == SrtpPolicy.Required)
        {
            return (null, null, "SRTP is required (RTP/SAVP with a=crypto)");
        }
        if (RemoteEndPoint(offer, offered) is not { } remote)
        {
            return (null, null, "the offer has no usable connection address");
        }
        // RFC 3264 §6.1: keep the offer's payload type numbers and order; drop what we cannot do.
        Dictionary<int, AudioCodec> offeredFormats = FormatsOf(offered);
        var common = new List<(int Pt, AudioCodec Codec)>();
        foreach (string format in offered.Formats)
        {
            int pt = ParsePayloadType(format);
            // The negotiated codec is our own description of it (our fmtp), under the offer's number.
            if (offeredFormats.TryGetValue(pt, out AudioCodec? codec)
                && OurCodec(codec) is { } ours)
            {
                common.Add((pt, ours));
            }
        }
        if (common.Count == 0)
        {
            return (null, null, "no common codec");
        }
        (int sendPt, AudioCodec sendCodec) = common[0];
        if (_capabilities.TelephoneEvent)
        {
            // RFC 4733 §7.1.1: telephone-event at the clock rate of the voice codec.
            foreach ((int pt, AudioCodec codec) in offeredFormats)
            {
                if (IsTelephoneEvent(codec) && codec.ClockRate == sendCodec.ClockRate)
                {
                    common.Add((pt, AudioCodec.TelephoneEvent with { ClockRate = codec.ClockRate }));
                    break;
                }
            }
        }
        SrtpKeys? keys = null;
        SdpCrypto? crypto = null;
        if (secure)
        {
            // RFC 4568 §7.1.2: accept the first a=crypto with a suite and key we support.
            foreach (SdpCrypto candidate in offered.Cryptos)
            {
                if (IsSupportedSuite(candidate.Suite) && DecodeKey(candidate) is { } remoteKey)
                {
                    crypto = candidate;
                    keys = new SrtpKeys(candidate.Suite, SecureRandom.GetBytes(MasterKeySaltLength), remoteKey);
                    break;
                }
            }
            if (keys is null)
            {
                return (null, null, "no acceptable a=crypto");
            }
        }

        SdpDirection offeredDirection = offered.GetDirection(offer.Direction);
        bool send = Receives(offeredDirection) && Sends(LocalDirection);
        bool receive = Sends(offeredDirection) && Receives(LocalDirection);
        var answer = NewAudioMedia(offered.Protocol, LocalRtpPort);
        foreach ((int pt, AudioCodec codec) in common)
        {
            AddFormat(answer, pt, codec);
        }
        if (crypto is not null)
        {
            answer.Attributes.Add(CryptoAttribute(crypto.Tag, crypto.Suite, keys!.LocalKeySalt));
        }
        AddCommonAttributes(answer, DirectionOf(send, receive));
        var formats = new Dictionary<int, AudioCodec>(common.Count);
        foreach ((int pt, AudioCodec codec) in common)
        {
            formats.Add(pt, codec);
        }
        // RFC 3264 §8.4: c=0.0.0.0 (RFC 2543 hold) means "do not send".
        return (answer, Negotiated(remote, formats, sendPt, offered, keys, send && !IsNullAddress(remote.Address), receive), null);
    }

    private NegotiatedAudio Negotiated(IPEndPoint remote, Dictionary<int, AudioCodec> formats, int sendPt,
        SdpMediaDescription remoteMedia, SrtpKeys? keys, bool send, bool receive)
    {
        int ptime = remoteMedia.PTime;
        int telephoneEvent = -1;
        foreach ((int pt, AudioCodec codec) in formats)
        {
            if (IsTelephoneEvent(codec))
            {
                telephoneEvent = pt;
                break;
            }
        }
        return new NegotiatedAudio
        {
            Remote = remote,
            SendCodec = formats[sendPt],
            SendPayloadType = sendPt,
            ReceivePayloadTypes = formats,
            TelephoneEventPayloadType = telephoneEvent,
            PTimeMs = ptime > 0 ? ptime : _capabilities.PTimeMs,
            Send = send,
            Receive = receive,
            Srtp = keys,
        };
    }

    private void AssignPayloadTypes()
    {
        var used = new HashSet<int>();
        foreach (AudioCodec codec in _capabilities.Codecs)
        {
            if (codec.StaticPayloadType < 0)
            {
                continue;
            }
            _localPayloadTypes[codec.StaticPayloadType] = codec;
            used.Add(codec.StaticPayloadType);
        }
        int next = FirstDynamicPayloadType;
        foreach (AudioCodec codec in _capabilities.Codecs)
        {
            if (codec.StaticPayloadType >= 0)
            {
                continue;
            }
            while (used.Contains(next) || next == PreferredTelephoneEventPayloadType)
            {
                next++;
            }
            _localPayloadTypes[next] = codec;
            used.Add(next);
        }
        if (_capabilities.TelephoneEvent)
        {
            // One telephone-event per clock rate in use (RFC 4733 §7.1.1).
            int pt = PreferredTelephoneEventPayloadType;
            var rates = new List<int>();
            foreach (AudioCodec codec in _capabilities.Codecs)
            {
                if (!rates.Contains(codec.ClockRate))
                {
                    rates.Add(codec.ClockRate);
                }
            }
            foreach (int rate in rates)
            {
                while (used.Contains(pt))
                {
                    pt++;
                }
                _localPayloadTypes[pt] = AudioCodec.TelephoneEvent with { ClockRate = rate };
                used.Add(pt);
            }
        }
    }

    // Our payload types in offer order (RFC 3264 §5.1: preference first). A stable insertion sort by
    // rank: a handful of entries, and no LINQ in the library (each LINQ instantiation costs NativeAOT size).
    private List<(int Pt, AudioCodec Codec)> OfferOrder()
    {
        var ordered = new List<(int Pt, AudioCodec Codec)>(_localPayloadTypes.Count);
        var ranks = new List<int>(_localPayloadTypes.Count);
        foreach ((int pt, AudioCodec codec) in _localPayloadTypes)
        {
            int rank = Rank(codec);
            int at = ranks.Count;
            while (at > 0 && ranks[at - 1] > rank)
            {
                at--;
            }
            ranks.Insert(at, rank);
            ordered.Insert(at, (pt, codec));
        }
        return ordered;
    }

    // Preference order of our codecs: their order in the capabilities, telephone-event last.
    private int Rank(AudioCodec codec)
    {
        IReadOnlyList<AudioCodec> codecs = _capabilities.Codecs;
        for (int i = 0; i < codecs.Count; i++)
        {
            if (codecs[i] == codec)
            {
                return i;
            }
        }
        return codecs.Count + codec.ClockRate;
    }

    // Our own description of an offered codec (our fmtp), or null when we cannot do it.
    private AudioCodec? OurCodec(AudioCodec offered)
    {
        foreach (AudioCodec c in _capabilities.Codecs)
        {
            if (c.Matches(offered.EncodingName, offered.ClockRate, offered.Channels))
            {
                return c;
            }
        }
        return null;
    }

    private static bool IsSupportedSuite(string suite)
    {
        foreach (string supported in SrtpSuites)
        {
            if (supported == suite)
            {
                return true;
            }
        }
        return false;
    }

    private static SdpMediaDescription NewAudioMedia(string protocol, int port) => new() { Media = "audio", Port = port, Protocol = protocol };

    private static SdpMediaDescription Declined(SdpMediaDescription offered)
    {
        // RFC 3264 §6: a declined stream keeps its m-line with port 0 and at least one format.
        var declined = new SdpMediaDescription { Media = offered.Media, Port = 0, Protocol = offered.Protocol };
        declined.Formats.Add(offered.Formats.Count > 0 ? offered.Formats[0] : "0");
        return declined;
    }

    private static void AddFormat(SdpMediaDescription media, int pt, AudioCodec codec)
    {
        string ptText = pt.ToString(CultureInfo.InvariantCulture);
        media.Formats.Add(ptText);
        string rtpmap = $"{ptText} {codec.EncodingName}/{codec.ClockRate.ToString(CultureInfo.InvariantCulture)}"
            + (codec.Channels > 1 ? "/" + codec.Channels.ToString(CultureInfo.InvariantCulture) : string.Empty);
        media.Attributes.Add(new SdpAttributeField("rtpmap", rtpmap));
        if (codec.Fmtp is not null)
        {
            media.Attributes.Add(new SdpAttributeField("fmtp", $"{ptText} {codec.Fmtp}"));
        }
    }

    private void AddCommonAttributes(SdpMediaDescription media, SdpDirection direction)
    {
        media.Attributes.Add(new SdpAttributeField("ptime", _capabilities.PTimeMs.ToString(CultureInfo.InvariantCulture)));
        media.Attributes.Add(new SdpAttributeField(direction switch
        {
            SdpDirection.SendOnly => "sendonly",
            SdpDirection.RecvOnly => "recvonly",
            SdpDirection.Inactive => "inactive",
            _ => "sendrecv",
        }, null));
    }

    private static SdpAttributeField CryptoAttribute(int tag, string suite, byte[] key) =>
        new("crypto", $"{tag.ToString(CultureInfo.InvariantCulture)} {suite} inline:{Convert.ToBase64String(key)}");

    // The session description around our media; o= version rises only when the content changes (RFC 3264 §8).
    private SdpSessionDescription Finish(params SdpMediaDescription[] media)
    {
        string addressType = LocalAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        var session = new SdpSessionDescription
        {
            SessionName = "Sipwire",
            Connection = new SdpConnection("IN", addressType, LocalAddress.ToString()),
        };
        session.Timings.Add("0 0");
        session.Media.AddRange(media);
        session.Origin = new SdpOrigin("-", _sessionId.ToString(CultureInfo.InvariantCulture), _version, "IN", addressType, LocalAddress.ToString());
        string content = BodyWithoutVersion(session);
        if (_lastBody is not null && _lastBody != content)
        {
            _version++;
            session.Origin = session.Origin with { SessionVersion = _version };
        }
        _lastBody = content;
        return session;
    }

    private static string BodyWithoutVersion(SdpSessionDescription session)
    {
        SdpOrigin origin = session.Origin;
        session.Origin = origin with { SessionVersion = 0 };
        string body = session.ToString();
        session.Origin = origin;
        return body;
    }

    // Payload type -> codec for an m-line: a=rtpmap entries, plus static types offered without one.
    private static Dictionary<int, AudioCodec> FormatsOf(SdpMediaDescription media)
    {
        var formats = new Dictionary<int, AudioCodec>();
        foreach (SdpRtpMap map in media.RtpMaps)
        {
            formats[map.PayloadType] = new AudioCodec(map.EncodingName, map.ClockRate, map.Channels <= 0 ? 1 : map.Channels, -1, media.GetFmtp(map.PayloadType));
        }
        foreach (string format in media.Formats)
        {
            int pt = ParsePayloadType(format);
            if (pt >= 0 && !formats.ContainsKey(pt) && AudioCodec.FromStaticPayloadType(pt) is { } known)
            {
                formats[pt] = known;
            }
        }
        return formats;
    }

    private static IPEndPoint? RemoteEndPoint(SdpSessionDescription session, SdpMediaDescription media)
    {
        SdpConnection? connection = media.Connections.Count > 0 ? media.Connections[0] : session.Connection;
        if (connection is null || connection.NetType != "IN")
        {
            return null;
        }
        // A multicast address may carry "/ttl[/count]" (RFC 8866 §5.7); unicast never does.
        string address = connection.Address.Split('/')[0];
        if (!IPAddress.TryParse(address, out IPAddress? ip))
        {
            return null;
        }
        return new IPEndPoint(ip, media.Port);
    }

    private static byte[]? DecodeKey(SdpCrypto crypto)
    {
        if (crypto.Keys.Count == 0)
        {
            return null;
        }
        string keySalt = crypto.Keys[0].KeySalt;
        Span<byte> buffer = stackalloc byte[64];
        return Convert.TryFromBase64String(keySalt, buffer, out int length) && length == MasterKeySaltLength ? buffer[..length].ToArray() : null;
    }

    private static int ParsePayloadType(string format) =>
        int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out int pt) && pt <= 127 ? pt : -1;

    private static bool IsTelephoneEvent(AudioCodec codec) => string.Equals(codec.EncodingName, "telephone-event", StringComparison.OrdinalIgnoreCase);

    private static bool IsNullAddress(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static bool Sends(SdpDirection direction) => direction is SdpDirection.SendRecv or SdpDirection.SendOnly;

    private static bool Receives(SdpDirection direction) => direction is SdpDirection.SendRecv or SdpDirection.RecvOnly;

    private static SdpDirection DirectionOf(bool send, bool receive) =>
        (send, receive) switch
        {
            (true, true) => SdpDirection.SendRecv,
            (true, false) => SdpDirection.SendOnly,
            (false, true) => SdpDirection.RecvOnly,
            _ => SdpDirection.Inactive,
        };
}
