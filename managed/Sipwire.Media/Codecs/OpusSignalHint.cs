// What the Opus encoder is told about its input signal (OPUS_SET_SIGNAL).
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Codecs;

/// <summary>
/// The signal-type hint given to the encoder. <see cref="Voice"/> keeps the encoder in the
/// SILK/hybrid modes that carry in-band FEC and DTX (RFC 6716 §2.1.7, §2.1.9); <see cref="Auto"/>
/// lets its classifier switch to CELT on music-like input.
/// </summary>
public enum OpusSignalHint
{
    /// <summary>The encoder classifies the input itself.</summary>
    Auto = 0,

    /// <summary>Speech: bias the mode decision towards SILK (and hybrid above wideband).</summary>
    Voice = 1,

    /// <summary>Music: bias the mode decision towards CELT.</summary>
    Music = 2,
}
