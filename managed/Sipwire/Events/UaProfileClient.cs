// The ua-profile event package subscriber (RFC 6080): a device's provisioning subscription and its update notices.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Sipwire.UserAgent;

namespace Sipwire.Events;

/// <summary>
/// Subscribes at start-up to Event: ua-profile (RFC 6080 §5.1.1) and turns every NOTIFY with a body
/// into a <see cref="UaProfileUpdate"/>: the profile URL from a message/external-body (RFC 4483
/// content indirection) or the inline profile. The subscription is kept refreshed and is made
/// again when the server deactivates it, by the core's RFC 6665 rules.
/// </summary>
public sealed class UaProfileClient
{
    private readonly UserAgentCore _core;
    private readonly UaProfileOptions _options;

    /// <summary>Creates the client; <see cref="Start"/> subscribes.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public UaProfileClient(UserAgentCore core, UaProfileOptions options)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _core = core;
        _options = options;
    }

    /// <summary>Raised for each profile notice (also the first one after subscribing).</summary>
    public event Action<UaProfileUpdate>? Updated;

    /// <summary>Raised for every subscription event (accepted, terminated with its reason ...).</summary>
    public event Action<SubscriptionEvent>? SubscriptionChanged;

    /// <summary>The subscription, once started.</summary>
    public Subscription? Subscription { get; private set; }

    /// <summary>The last notice, or null.</summary>
    public UaProfileUpdate? Current { get; private set; }

    /// <summary>Sends the SUBSCRIBE (RFC 6080 §5.1.1: at start-up).</summary>
    /// <returns>False when already started.</returns>
    public bool Start()
    {
        if (Subscription is not null && Subscription.State != SubscriptionState.Terminated) return false;
        var accept = new List<string> { "message/external-body" };
        accept.AddRange(_options.InlineTypes);
        Subscription = _core.Subscribe(new SubscriptionOptions
        {
            TargetUri = _options.TargetUri,
            Destination = _options.Destination,
            Event = _options.EventValue(),
            Expires = _options.Expires,
            Accept = accept,
            Credentials = _options.Credentials,
        });
        Subscription.Changed += OnChanged;
        return true;
    }

    /// <summary>Ends the subscription.</summary>
    public bool Stop() => Subscription?.Unsubscribe() ?? false;

    private void OnChanged(SubscriptionEvent e)
    {
        SubscriptionChanged?.Invoke(e);
        if (e.Kind != SubscriptionEventKind.Notified || e.Body.IsEmpty) return;
        UaProfileUpdate update = Interpret(e.ContentType, e.Body);
        Current = update;
        Updated?.Invoke(update);
    }

    /// <summary>Reads a NOTIFY body of the ua-profile package (RFC 6080 §5.1.2, RFC 4483 §5, RFC 2046 §5.2.3).</summary>
    public static UaProfileUpdate Interpret(string contentType, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        List<string> parts = EventHeaderValue.SplitParameters(contentType, out string error);
        if (parts.Count == 0) return new UaProfileUpdate(null, contentType, body, null, -1, "malformed Content-Type: " + error);
        string mediaType = parts[0].Trim();
        if (!mediaType.Equals("message/external-body", StringComparison.OrdinalIgnoreCase))
            return new UaProfileUpdate(null, mediaType, body, null, -1, null);
        string? access = null, url = null, expiration = null;
        long size = -1;
        for (int i = 1; i < parts.Count; i++)
        {
            string p = parts[i].Trim();
            int eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) continue;
            string name = p[..eq].Trim();
            string value = EventHeaderValue.Unquote(p[(eq + 1)..].Trim());
            // RFC 2046 §5.2.3: parameter names are case-insensitive.
            if (name.Equals("access-type", StringComparison.OrdinalIgnoreCase)) access = value;
            else if (name.Equals("URL", StringComparison.OrdinalIgnoreCase)) url = value;
            else if (name.Equals("expiration", StringComparison.OrdinalIgnoreCase)) expiration = value;
            else if (name.Equals("size", StringComparison.OrdinalIgnoreCase) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long s)) size = s;
        }
        // The external body's own header section names the referenced content's type.
        string inner = "application/octet-stream";
        foreach (string line in Encoding.UTF8.GetString(body.Span).Split('\n'))
        {
            string l = line.TrimEnd('\r');
            if (l.Length == 0) break;
            if (l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase)) inner = l["Content-Type:".Length..].Trim();
        }
        if (!string.Equals(access, "URL", StringComparison.OrdinalIgnoreCase))
            return new UaProfileUpdate(null, inner, default, expiration, size, $"access-type '{access}' is not URL (RFC 4483 §5)");
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out _))
            return new UaProfileUpdate(null, inner, default, expiration, size, "external body without a usable URL parameter");
        return new UaProfileUpdate(url, inner, default, expiration, size, null);
    }
}
