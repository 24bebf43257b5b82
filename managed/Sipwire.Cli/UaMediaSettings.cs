// The media flags of `sipwire ua`: --play FILE.wav, --record FILE.wav, --codecs LIST, --rtp-port N.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using Sipwire.Session;

namespace Sipwire.Cli;

/// <summary>What the calls of one <c>sipwire ua</c> run send and record, and which codecs they offer.</summary>
internal sealed class UaMediaSettings
{
    public const string Usage =
        "                  [--play FILE.wav] [--record FILE.wav] [--codecs pcmu,pcma,g722,opus] [--rtp-port EVEN-PORT]\n";

    /// <summary>Mono PCM16 WAV at 8 or 16 kHz sent as the call's audio (looped); null = a 1 kHz tone at -12 dBFS.</summary>
    public string? PlayFile { get; private set; }

    /// <summary>Where the received audio (after the jitter buffer and decoder) is written as a WAV when the run ends.</summary>
    public string? RecordFile { get; private set; }

    /// <summary>Codecs in offer order (RFC 3264 §5.1); null = the UA's defaults.</summary>
    public IReadOnlyList<AudioCodec>? Codecs { get; private set; }

    /// <summary>First local RTP port (even, RFC 3550 §11); null = the UA's default.</summary>
    public int? RtpPort { get; private set; }

    public static bool IsKey(string key) => key is "play" or "record" or "codecs" or "rtp-port";

    public bool Apply(string key, string value, string where, out string error)
    {
        error = "";
        switch (key)
        {
            case "play":
                PlayFile = value;
                return true;
            case "record":
                RecordFile = value;
                return true;
            case "codecs":
                var list = new List<AudioCodec>();
                foreach (string name in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    AudioCodec? codec = name.ToLowerInvariant() switch
                    {
                        "pcmu" => AudioCodec.Pcmu,
                        "pcma" => AudioCodec.Pcma,
                        "g722" => AudioCodec.G722,
                        "opus" => AudioCodec.Opus,
                        _ => null,
                    };
                    if (codec is null)
                    {
                        error = $"{where}: unknown codec '{name}' (pcmu, pcma, g722, opus)";
                        return false;
                    }
                    if (!list.Contains(codec)) list.Add(codec);
                }
                if (list.Count == 0)
                {
                    error = $"{where}: --codecs needs at least one of pcmu, pcma, g722, opus";
                    return false;
                }
                Codecs = list;
                return true;
            case "rtp-port":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1024 or > 65534 || port % 2 != 0)
                {
                    error = $"{where}: '{value}' is not an even port 1024..65534 (RFC 3550 §11)";
                    return false;
                }
                RtpPort = port;
                return true;
            default:
                error = $"{where}: unknown option";
                return false;
        }
    }
}
