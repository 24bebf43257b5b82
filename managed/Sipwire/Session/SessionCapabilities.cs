// SPDX-License-Identifier: MIT
// What the local side can do for audio: codecs in preference order, DTMF, ptime, SRTP policy.

using System;
using System.Collections.Generic;

namespace Sipwire.Session;

/// <summary>Local audio capabilities used to build offers and answers.</summary>
public sealed record SessionCapabilities
{
    /// <summary>Codecs in preference order (the offer lists them so, RFC 3264 §5.1).</summary>
    public IReadOnlyList<AudioCodec> Codecs { get; init; } = [AudioCodec.Pcmu, AudioCodec.Pcma];

    /// <summary>Offer and accept RFC 4733 telephone-event.</summary>
    public bool TelephoneEvent { get; init; } = true;

    /// <summary>The a=ptime we ask for, in milliseconds (10 to 60 in steps of 10 suit every codec here).</summary>
    public int PTimeMs { get; init; } = 20;

    /// <summary>Whether SRTP is off, offered and accepted, or required.</summary>
    public SrtpPolicy Srtp { get; init; } = SrtpPolicy.Off;

    /// <summary>Checks the values and names the bad one.</summary>
    /// <exception cref="ArgumentException">No codec, or a ptime that is not a positive multiple of 10 up to 60.</exception>
    public void Validate()
    {
        if (Codecs.Count == 0)
        {
            throw new ArgumentException("Codecs must list at least one codec.");
        }
        if (PTimeMs is <= 0 or > 60 || PTimeMs % 10 != 0)
        {
            throw new ArgumentException($"PTimeMs must be 10, 20, 30, 40, 50 or 60, not {PTimeMs}.");
        }
    }
}
