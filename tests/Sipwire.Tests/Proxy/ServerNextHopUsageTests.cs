// `sipwire proxy --next-hop/--path` usage: what is accepted, and the exit-2 messages for what is not.
// SPDX-License-Identifier: MIT

using System.IO;
using NUnit.Framework;
using Sipwire.Cli;

namespace Sipwire.Tests.Proxy;

[TestFixture]
public sealed class ServerNextHopUsageTests
{
    [TestCase("proxy", new[] { "--next-hop" }, "--next-hop needs a SIP URI with an IP address")]
    [TestCase("proxy", new[] { "--next-hop", "core.example.test" }, "--next-hop needs a SIP URI with an IP address")]
    [TestCase("proxy", new[] { "--next-hop", "sip:core.example.test:5060" }, "(got 'sip:core.example.test:5060')")]
    [TestCase("proxy", new[] { "--next-hop", "tel:+15551234" }, "--next-hop needs a SIP URI")]
    [TestCase("proxy", new[] { "--path", "sometimes" }, "--path is 'supported'")]
    [TestCase("proxy", new[] { "--path" }, "--path is 'supported'")]
    [TestCase("registrar", new[] { "--next-hop", "sip:127.0.0.1:5070" }, "--next-hop and --path apply to the proxy role only")]
    [TestCase("redirect", new[] { "--path", "always" }, "--next-hop and --path apply to the proxy role only")]
    public void BadNextHopUsageExitsTwoWithAClearMessage(string role, string[] extra, string message)
    {
        var err = new StringWriter();
        string[] args = ["--listen", "udp:127.0.0.1:0", "--domain", "example.test", .. extra];
        int code = ServerCommand.Run(role, args, TextWriter.Null, err);
        Assert.That(code, Is.EqualTo(2), err.ToString());
        Assert.That(err.ToString(), Does.Contain(message).And.Contain("[--next-hop sip:IP:PORT[;transport=tcp]] [--path supported|always|off]"));
    }

    [TestCase("sip:127.0.0.1:5070", "supported")]
    [TestCase("sip:127.0.0.1:5070;transport=tcp", "always")]
    [TestCase("sip:[::1]:5070;lr", "off")]
    [TestCase("sips:127.0.0.1:5071", "supported")]
    public void AnIpNextHopIsAcceptedAndNamedInTheBanner(string hop, string path)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var stop = new System.Threading.CancellationTokenSource();
        stop.Cancel();
        int code = ServerCommand.Run("proxy", ["--listen", "udp:127.0.0.1:0", "--domain", "example.test", "--no-registrar", "--next-hop", hop, "--path", path],
            stdout, stderr, null, stop.Token);
        Assert.That(code, Is.EqualTo(0), stderr.ToString());
        Assert.That(stdout.ToString(), Does.Contain($", next hop {hop},"));
    }
}
