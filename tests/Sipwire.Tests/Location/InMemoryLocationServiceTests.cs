// The in-memory location service against the location service contract, and the binding value itself.
// SPDX-License-Identifier: MIT

using System;
using System.Text;
using NUnit.Framework;
using Sipwire.Location;

namespace Sipwire.Tests.Location;

[TestFixture]
public sealed class InMemoryLocationServiceTests : LocationServiceContract
{
    protected override ILocationService Create(LocationLimits? limits = null) => new InMemoryLocationService(limits);

    [Test]
    public void BindingKeepsEveryField()
    {
        LocationBinding b = new("sip:a@192.0.2.1"u8, ";+sip.instance=\"<urn:x>\""u8, "call"u8, 7, 500, 1234, "<sip:p1;lr>"u8, "<urn:x>"u8, 1, "tcp:192.0.2.1:5060"u8);
        Assert.That(Encoding.ASCII.GetString(b.Contact), Is.EqualTo("sip:a@192.0.2.1"));
        Assert.That(Encoding.ASCII.GetString(b.ContactParameters), Is.EqualTo(";+sip.instance=\"<urn:x>\""));
        Assert.That(Encoding.ASCII.GetString(b.CallId), Is.EqualTo("call"));
        Assert.That(Encoding.ASCII.GetString(b.Path), Is.EqualTo("<sip:p1;lr>"));
        Assert.That(Encoding.ASCII.GetString(b.InstanceId), Is.EqualTo("<urn:x>"));
        Assert.That(Encoding.ASCII.GetString(b.Received), Is.EqualTo("tcp:192.0.2.1:5060"));
        Assert.That((b.CSeq, b.QMillis, b.ExpiresAtMs, b.RegId, b.HasFlowKey), Is.EqualTo((7u, 500, 1234L, 1, true)));
        Assert.That(b.SecondsLeft(234), Is.EqualTo(1));
        Assert.That(b.SecondsLeft(233), Is.EqualTo(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LocationBinding("sip:a@b"u8, default, "c"u8, 1, 1001, 0, default, default, -1, default));
        Assert.Throws<ArgumentException>(() => _ = new LocationBinding(default, default, "c"u8, 1, 1, 0, default, default, -1, default));
    }
}
