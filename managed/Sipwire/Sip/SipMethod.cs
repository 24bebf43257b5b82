// The SIP methods the stack knows by name; anything else is an extension method kept as bytes.
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip;

/// <summary>A request method. Method names are case-sensitive (RFC 3261 §7.1).</summary>
public enum SipMethod
{
    /// <summary>An extension method; its name is in <see cref="SipMessage.MethodName"/>.</summary>
    Extension = 0,
    /// <summary>INVITE (RFC 3261).</summary>
    Invite,
    /// <summary>ACK (RFC 3261).</summary>
    Ack,
    /// <summary>BYE (RFC 3261).</summary>
    Bye,
    /// <summary>CANCEL (RFC 3261).</summary>
    Cancel,
    /// <summary>REGISTER (RFC 3261).</summary>
    Register,
    /// <summary>OPTIONS (RFC 3261).</summary>
    Options,
    /// <summary>PRACK (RFC 3262).</summary>
    Prack,
    /// <summary>SUBSCRIBE (RFC 6665).</summary>
    Subscribe,
    /// <summary>NOTIFY (RFC 6665).</summary>
    Notify,
    /// <summary>PUBLISH (RFC 3903).</summary>
    Publish,
    /// <summary>INFO (RFC 6086).</summary>
    Info,
    /// <summary>REFER (RFC 3515).</summary>
    Refer,
    /// <summary>MESSAGE (RFC 3428).</summary>
    Message,
    /// <summary>UPDATE (RFC 3311).</summary>
    Update,
}
