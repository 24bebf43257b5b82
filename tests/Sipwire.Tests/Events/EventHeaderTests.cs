// Event and Subscription-State header values (RFC 6665 §8.2.1, §8.2.3): parse, match, format, refuse.
// SPDX-License-Identifier: MIT

using NUnit.Framework;
using Sipwire.Events;

namespace Sipwire.Tests.Events;

[TestFixture]
public sealed class EventHeaderTests
{
    [Test]
    public void EventWithIdAndParameters()
    {
        Assert.That(EventHeaderValue.TryParse("ua-profile;profile-type=device;vendor=\"Acme Co\";model=X1;id=7", out EventHeaderValue? e, out string error), Is.True, error);
        Assert.That(e!.Package, Is.EqualTo("ua-profile"));
        Assert.That(e.Id, Is.EqualTo("7"));
        Assert.That(e.GetParameter("vendor"), Is.EqualTo("Acme Co"));
        Assert.That(e.GetParameter("PROFILE-TYPE"), Is.EqualTo("device"));
        Assert.That(e.ToString(), Is.EqualTo("ua-profile;profile-type=device;vendor=\"Acme Co\";model=X1;id=7"));
        Assert.That(EventHeaderValue.TryParse(e.ToString(), out EventHeaderValue? again, out _), Is.True);
        Assert.That(again!.Matches(e), Is.True);
    }

    [TestCase("presence", "presence", true)]
    [TestCase("presence;id=1", "presence;id=1", true)]
    [TestCase("presence;id=1", "presence;id=2", false)]
    [TestCase("presence;id=1", "presence", false)]
    [TestCase("presence", "Presence", false)]
    [TestCase("presence.winfo", "presence", false)]
    public void MatchingIsByTypeAndId(string a, string b, bool same)
    {
        Assert.That(EventHeaderValue.TryParse(a, out EventHeaderValue? x, out _), Is.True);
        Assert.That(EventHeaderValue.TryParse(b, out EventHeaderValue? y, out _), Is.True);
        Assert.That(x!.Matches(y!), Is.EqualTo(same));
    }

    [TestCase("")]
    [TestCase(";id=1")]
    [TestCase("pres ence")]
    [TestCase(".presence")]
    [TestCase("presence;vendor=\"open")]
    [TestCase("presence\r\nX: y")]
    public void MalformedEventIsRefused(string text)
    {
        Assert.That(EventHeaderValue.TryParse(text, out EventHeaderValue? e, out string error), Is.False);
        Assert.That(e, Is.Null);
        Assert.That(error, Is.Not.Empty);
    }

    [TestCase("active;expires=600", SubscriptionState.Active, 600, null, -1)]
    [TestCase("pending", SubscriptionState.Pending, -1, null, -1)]
    [TestCase("terminated;reason=probation;retry-after=30", SubscriptionState.Terminated, -1, "probation", 30)]
    [TestCase("TERMINATED;Reason=Timeout", SubscriptionState.Terminated, -1, "timeout", -1)]
    [TestCase("future-state;expires=5", SubscriptionState.Pending, 5, null, -1)]
    public void SubscriptionStateParses(string text, SubscriptionState state, int expires, string? reason, int retryAfter)
    {
        Assert.That(SubscriptionStateValue.TryParse(text, out SubscriptionStateValue? v, out string error), Is.True, error);
        Assert.That(v, Is.EqualTo(new SubscriptionStateValue { State = state, Expires = expires, Reason = reason, RetryAfter = retryAfter }));
    }

    [TestCase("active;expires=soon")]
    [TestCase("active;expires=-1")]
    [TestCase("terminated;retry-after=")]
    [TestCase("")]
    public void MalformedSubscriptionStateIsRefused(string text) =>
        Assert.That(SubscriptionStateValue.TryParse(text, out _, out _), Is.False);
}
