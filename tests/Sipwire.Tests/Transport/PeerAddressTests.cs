// PeerAddress: parsing, formatting for Via/received (RFC 5118), and the allocation-free socket-address round trip.
// SPDX-License-Identifier: MIT

using System.Net;
using System.Net.Sockets;
using NUnit.Framework;
using Sipwire.Transport;

namespace Sipwire.Tests.Transport;

[TestFixture]
public sealed class PeerAddressTests
{
    [TestCase("127.0.0.1:5060", "UDP:127.0.0.1:5060")]
    [TestCase("[::1]:5070", "UDP:[::1]:5070")]
    [TestCase("[2001:db8::1]:1", "UDP:[2001:db8::1]:1")]
    public void ParsesAndFormats(string text, string shown)
    {
        Assert.That(PeerAddress.Parse(TransportProtocol.Udp, text).ToString(), Is.EqualTo(shown));
    }

    [TestCase("127.0.0.1")]
    [TestCase("bad:port")]
    [TestCase("1.2.3.4:70000")]
    public void RejectsBadText(string text)
    {
        Assert.That(PeerAddress.TryParse(TransportProtocol.Udp, text, out _), Is.False);
    }

    [TestCase("192.0.2.44", 5061)]
    [TestCase("2001:db8::7", 65535)]
    public void SocketAddressRoundTrip(string ip, int port)
    {
        var original = PeerAddress.FromEndPoint(TransportProtocol.Udp, new IPEndPoint(IPAddress.Parse(ip), port));
        var sa = new SocketAddress(original.AddressFamily);
        original.WriteTo(sa);
        Assert.That(PeerAddress.FromSocketAddress(TransportProtocol.Udp, sa), Is.EqualTo(original));
        // The BCL's own serialization agrees on the layout.
        Assert.That(PeerAddress.FromSocketAddress(TransportProtocol.Udp, new IPEndPoint(IPAddress.Parse(ip), port).Serialize()), Is.EqualTo(original));
    }
}
