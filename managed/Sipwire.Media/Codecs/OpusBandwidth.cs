// Opus audio bandwidths (RFC 6716 §2, Table 1), used to cap what the encoder codes.
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Codecs;

/// <summary>The audio bandwidths of RFC 6716 §2 (Table 1), each with its effective sample rate.</summary>
public enum OpusBandwidth
{
    /// <summary>No cap: the sample rate and the bitrate decide.</summary>
    Auto = 0,

    /// <summary>NB: 4 kHz audio, 8 kHz effective sample rate.</summary>
    Narrowband = 1,

    /// <summary>MB: 6 kHz audio, 12 kHz effective sample rate.</summary>
    Mediumband = 2,

    /// <summary>WB: 8 kHz audio, 16 kHz effective sample rate.</summary>
    Wideband = 3,

    /// <summary>SWB: 12 kHz audio, 24 kHz effective sample rate.</summary>
    SuperWideband = 4,

    /// <summary>FB: 20 kHz audio, 48 kHz effective sample rate.</summary>
    Fullband = 5,
}
