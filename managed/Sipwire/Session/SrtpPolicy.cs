// SPDX-License-Identifier: MIT
// How a user agent treats SRTP in offer/answer.

namespace Sipwire.Session;

/// <summary>SRTP policy of a session.</summary>
public enum SrtpPolicy
{
    /// <summary>Offer RTP/AVP; reject RTP/SAVP streams.</summary>
    Off = 0,

    /// <summary>Offer RTP/SAVP with SDES keys; reject plain RTP/AVP offers (no downgrade).</summary>
    Required = 1,

    /// <summary>Offer RTP/AVP; accept an RTP/SAVP offer with a suite we support.</summary>
    Accepted = 2,
}
