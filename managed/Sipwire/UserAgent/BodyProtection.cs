// What protection an outgoing body gets from an IBodyProtector (RFC 3261 §23).
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.UserAgent;

/// <summary>Protection applied to an outgoing message body.</summary>
[Flags]
public enum BodyProtection
{
    /// <summary>The body is sent as it is.</summary>
    None = 0,

    /// <summary>Signed by the local identity (RFC 3261 §23.4.1).</summary>
    Sign = 1,

    /// <summary>Encrypted to the remote party's certificate (RFC 3261 §23.4.3).</summary>
    Encrypt = 2,

    /// <summary>Signed, then the signed entity encrypted (RFC 3261 §23.4.3, RFC 8551 §3.7).</summary>
    SignAndEncrypt = Sign | Encrypt,
}
