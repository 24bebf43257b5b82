// SPDX-License-Identifier: MIT
// Malformed requests are answered with their error status; responses and unanswerable requests are not.

using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NUnit.Framework;
using Sipwire.Sip;
using Sipwire.Tests.Sip;
using Sipwire.Transport;

namespace Sipwire.Tests.Transport;

[TestFixture]
[NonParallelizable]
public sealed class MalformedRequestResponseTests
{
    // RFC 4475 invalid requests and the status each must get (the manifest's verdicts). Where the
    // broken part is itself a header a response copies (Via, To), the copy is as broken as the
    // original - a UAS echoes it, it does not repair it - so only the others must parse again.
    [TestCase("rfc4475/badinv01.dat", 400, false)]
    [TestCase("rfc4475/quotbal.dat", 400, false)]
    [TestCase("rfc4475/badaspec.dat", 400, false)]
    [TestCase("rfc4475/lwsstart.dat", 400, true)]
    [TestCase("rfc4475/badvers.dat", 505, true)]
    [TestCase("rfc4475/mcl01.dat", 400, true)]
    [TestCase("rfc4475/multi01.dat", 400, true)]
    public void InvalidRequestGetsItsStatusWithTheCopiedHeaders(string vector, int status, bool copiesParse)
    {
        byte[] request = SipVectors.Read(vector);
        var message = new SipMessage();
        SipParseResult r = SipParser.Parse(request.AsMemory(), SipFraming.Datagram, message);
        Assert.That(r.Status, Is.EqualTo(SipParseStatus.Invalid), "the vector must be rejected by the parser");

        byte[] buffer = new byte[MalformedRequestResponse.MaxLength];
        int length = MalformedRequestResponse.TryWrite(request, r.Error, buffer);
        Assert.That(length, Is.GreaterThan(0));
        string text = Encoding.UTF8.GetString(buffer, 0, length);
        Assert.That(text, Does.StartWith($"SIP/2.0 {status} {SipErrors.ReasonPhrase(r.Error)}\r\n"));
        Assert.That(text, Does.EndWith("Content-Length: 0\r\n\r\n"));
        foreach (string header in new[] { "\r\nVia:", "\r\nFrom:", "\r\nTo:", "\r\nCall-ID:", "\r\nCSeq:" })
        {
            Assert.That(text, Does.Contain(header).IgnoreCase.Or.Contain(header.Replace("Call-ID", "i", StringComparison.Ordinal)), header);
        }
        if (!copiesParse)
        {
            return;
        }
        // The response answers the request's transaction: it parses, with the request's Call-ID and a To tag.
        var response = new SipMessage();
        Assert.That(SipParser.Parse(buffer.AsMemory(0, length), SipFraming.Datagram, response).Status, Is.EqualTo(SipParseStatus.Done), text);
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.CallId.Length, Is.GreaterThan(0));
        Assert.That(response.To.Tag.Length, Is.GreaterThan(0), "§8.2.6.2: a To tag on the response");
    }

    [TestCase("rfc4475/bigcode.dat")]
    [TestCase("rfc4475/scalarlg.dat")]
    public void ResponsesAreNeverAnswered(string vector)
    {
        byte[] bytes = SipVectors.Read(vector);
        Assert.That(MalformedRequestResponse.TryWrite(bytes, SipParseError.BadStartLine, new byte[MalformedRequestResponse.MaxLength]), Is.Zero);
    }

    [TestCase("INVITE sip:b@test SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@test>;tag=1\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\r\n", "no To")]
    [TestCase("INVITE sip:b@test SIP/2.0\r\nFrom: <sip:a@test>;tag=1\r\nTo: <sip:b@test>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\r\n", "no Via")]
    [TestCase("INVITE sip:b@test SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@test>;tag=1\r\nTo: <sip:b@test>\r\nCall-ID: c\u0001\r\nCSeq: 1 INVITE\r\n\r\n", "control character")]
    [TestCase("garbage", "no start line")]
    public void UnanswerableRequestsAreOnlyCounted(string request, string why)
    {
        Assert.That(MalformedRequestResponse.TryWrite(Encoding.Latin1.GetBytes(request), SipParseError.BadStartLine, new byte[MalformedRequestResponse.MaxLength]),
            Is.Zero, why);
    }

    [Test]
    public void UdpPeerGetsThe400AndTheTagIsKeptWhenPresent()
    {
        using var endpoint = new Endpoint(new EndpointOptions());
        PeerAddress local = endpoint.Transport.AddUdp(new IPEndPoint(IPAddress.Loopback, 0));
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] request = SipVectors.Read("rfc4475/badinv01.dat");
        var target = new IPEndPoint(IPAddress.Loopback, local.Port);
        peer.Send(request, request.Length, target);
        var sw = Stopwatch.StartNew();
        while (peer.Available == 0 && sw.Elapsed < TimeSpan.FromSeconds(5))
        {
            endpoint.Poll(TimeSpan.FromMilliseconds(5));
        }
        Assert.That(peer.Available, Is.GreaterThan(0), "no response on loopback");
        IPEndPoint? from = null;
        string response = Encoding.UTF8.GetString(peer.Receive(ref from));
        Assert.That(response, Does.StartWith("SIP/2.0 400 "));
        Assert.That(endpoint.Transport.MalformedRequestsAnswered, Is.EqualTo(1));
        Assert.That(endpoint.Transport.ParseErrors, Is.EqualTo(1));

        // A malformed response is dropped: nothing comes back.
        byte[] bad = SipVectors.Read("rfc4475/bigcode.dat");
        peer.Send(bad, bad.Length, target);
        sw.Restart();
        while (sw.Elapsed < TimeSpan.FromMilliseconds(300))
        {
            endpoint.Poll(TimeSpan.FromMilliseconds(5));
        }
        Assert.That(peer.Available, Is.Zero);
        Assert.That(endpoint.Transport.ParseErrors, Is.EqualTo(2));
        Assert.That(endpoint.Transport.MalformedRequestsAnswered, Is.EqualTo(1));
    }
}
