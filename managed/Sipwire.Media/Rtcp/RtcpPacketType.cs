// RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1).
// SPDX-License-Identifier: MIT

namespace Sipwire.Media.Rtcp;

/// <summary>RTCP packet type values.</summary>
public enum RtcpPacketType : byte
{
    /// <summary>Sender report.</summary>
    SenderReport = 200,

    /// <summary>Receiver report.</summary>
    ReceiverReport = 201,

    /// <summary>Source description.</summary>
    SourceDescription = 202,

    /// <summary>Goodbye.</summary>
    Bye = 203,

    /// <summary>Application-defined.</summary>
    App = 204,

    /// <summary>Transport-layer feedback (RFC 4585).</summary>
    TransportFeedback = 205,

    /// <summary>Payload-specific feedback (RFC 4585).</summary>
    PayloadFeedback = 206,
}
