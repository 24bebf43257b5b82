// The transaction layer's message writer: what it refuses to put on the wire.
// SPDX-License-Identifier: MIT

using System.Text;
using NUnit.Framework;
using Sipwire.Transactions;

namespace Sipwire.Tests.Transactions;

[TestFixture]
public sealed class SipMessageWriterTests
{
    [Test]
    public void AReasonPhraseCannotEndTheStatusLine()
    {
        // RFC 3261 §25.1: Reason-Phrase has no CR/LF or control characters; a reason built from request data
        // (an unescaped user "%0D%0AX-Injected: 1") must not add header fields to the response.
        var buffer = new byte[256];
        var w = new SipMessageWriter(buffer);
        w.StatusLine(403, "Forbidden - a\r\nX-Injected: 1\u0000\u007F\tend");
        Assert.That(Encoding.UTF8.GetString(w.Written), Is.EqualTo("SIP/2.0 403 Forbidden - a??X-Injected: 1??\tend\r\n"));
    }

    [Test]
    public void APlainReasonPhraseIsWrittenAsGiven()
    {
        var buffer = new byte[64];
        var w = new SipMessageWriter(buffer);
        w.StatusLine(486, "Busy Here – Réunion"u8.ToArray());
        Assert.That(Encoding.UTF8.GetString(w.Written), Is.EqualTo("SIP/2.0 486 Busy Here – Réunion\r\n"));
    }
}
