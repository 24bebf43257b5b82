// Offsets of the parts of one via-parm (RFC 3261 §20.42, RFC 3581 rport).
// SPDX-License-Identifier: MIT

namespace Sipwire.Sip.Parsing;

/// <summary>Where the parts of one Via value are, relative to the message start.</summary>
internal struct ViaParts
{
    public ByteRange Value;
    public ByteRange ProtocolName;
    public ByteRange ProtocolVersion;
    public ByteRange Transport;
    public ByteRange Host;          // with brackets for an IPv6 reference
    public int Port;                // -1 absent
    public ByteRange Parameters;
    public ByteRange Branch;
    public ByteRange Received;      // as written (RFC 5118 §4.5: with or without brackets)
    public ByteRange Maddr;
    public int Ttl;                 // -1 absent
    public int RPort;               // -1 absent, 0 present without value (RFC 3581 §3), else the port

    public static ViaParts Empty => new()
    {
        Value = ByteRange.None, ProtocolName = ByteRange.None, ProtocolVersion = ByteRange.None,
        Transport = ByteRange.None, Host = ByteRange.None, Port = -1, Parameters = ByteRange.None,
        Branch = ByteRange.None, Received = ByteRange.None, Maddr = ByteRange.None, Ttl = -1, RPort = -1,
    };

    internal readonly ViaParts Offset(int by) => new()
    {
        Value = Value.Offset(by), ProtocolName = ProtocolName.Offset(by), ProtocolVersion = ProtocolVersion.Offset(by),
        Transport = Transport.Offset(by), Host = Host.Offset(by), Port = Port, Parameters = Parameters.Offset(by),
        Branch = Branch.Offset(by), Received = Received.Offset(by), Maddr = Maddr.Offset(by), Ttl = Ttl, RPort = RPort,
    };
}
