// Conversions between SipMethod values and their wire names.
// SPDX-License-Identifier: MIT

using System;

namespace Sipwire.Sip;

/// <summary>Wire names of the known methods.</summary>
public static class SipMethods
{
    /// <summary>Classifies a method token (case-sensitive, RFC 3261 §7.1).</summary>
    public static SipMethod Parse(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when name.SequenceEqual("ACK"u8) => SipMethod.Ack,
        3 when name.SequenceEqual("BYE"u8) => SipMethod.Bye,
        4 when name.SequenceEqual("INFO"u8) => SipMethod.Info,
        5 when name.SequenceEqual("PRACK"u8) => SipMethod.Prack,
        5 when name.SequenceEqual("REFER"u8) => SipMethod.Refer,
        6 when name.SequenceEqual("INVITE"u8) => SipMethod.Invite,
        6 when name.SequenceEqual("CANCEL"u8) => SipMethod.Cancel,
        6 when name.SequenceEqual("NOTIFY"u8) => SipMethod.Notify,
        6 when name.SequenceEqual("UPDATE"u8) => SipMethod.Update,
        7 when name.SequenceEqual("OPTIONS"u8) => SipMethod.Options,
        7 when name.SequenceEqual("PUBLISH"u8) => SipMethod.Publish,
        7 when name.SequenceEqual("MESSAGE"u8) => SipMethod.Message,
        8 when name.SequenceEqual("REGISTER"u8) => SipMethod.Register,
        9 when name.SequenceEqual("SUBSCRIBE"u8) => SipMethod.Subscribe,
        _ => SipMethod.Extension,
    };

    /// <summary>The wire name of a known method; empty for <see cref="SipMethod.Extension"/>.</summary>
    public static ReadOnlySpan<byte> GetName(SipMethod method) => method switch
    {
        SipMethod.Invite => "INVITE"u8,
        SipMethod.Ack => "ACK"u8,
        SipMethod.Bye => "BYE"u8,
        SipMethod.Cancel => "CANCEL"u8,
        SipMethod.Register => "REGISTER"u8,
        SipMethod.Options => "OPTIONS"u8,
        SipMethod.Prack => "PRACK"u8,
        SipMethod.Subscribe => "SUBSCRIBE"u8,
        SipMethod.Notify => "NOTIFY"u8,
        SipMethod.Publish => "PUBLISH"u8,
        SipMethod.Info => "INFO"u8,
        SipMethod.Refer => "REFER"u8,
        SipMethod.Message => "MESSAGE"u8,
        SipMethod.Update => "UPDATE"u8,
        _ => default,
    };
}
