// A presence event package for tests: every subscriber is authorized and gets one fixed PIDF document (RFC 3863).
// SPDX-License-Identifier: MIT

using System.Text;
using Sipwire.Events;

namespace Sipwire.Interop.Tests.Cli;

internal sealed class FixedPresencePackage : IEventPackage
{
    // RFC 3863 §4.1 example shape: one tuple, basic status open.
    public const string Pidf =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
        "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"pres:bob@example.test\">\n" +
        "<tuple id=\"t1\"><status><basic>open</basic></status></tuple>\n" +
        "</presence>\n";

    public string Name => "presence";

    public int MinExpires => 60;

    public int MaxExpires => 3600;

    public int DefaultExpires => 3600;

    public int Authorized { get; private set; }

    public SubscriptionDecision Authorize(NotifierSubscription subscription)
    {
        Authorized++;
        return SubscriptionDecision.Active;
    }

    public EventBody? GetState(NotifierSubscription subscription) => new("application/pidf+xml", Encoding.UTF8.GetBytes(Pidf));
}
