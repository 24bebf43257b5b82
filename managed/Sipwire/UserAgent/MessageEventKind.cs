// Outcomes of a MESSAGE we sent (RFC 3428).
// SPDX-License-Identifier: MIT

namespace Sipwire.UserAgent;

/// <summary>How a MESSAGE we sent ended.</summary>
public enum MessageEventKind
{
    /// <summary>A 2xx: the message was delivered (200) or accepted for later delivery (202), RFC 3428 §8.</summary>
    Delivered = 1,

    /// <summary>A final non-2xx, a timeout (408), a transport error (503) or a local refusal.</summary>
    Failed = 2,
}
