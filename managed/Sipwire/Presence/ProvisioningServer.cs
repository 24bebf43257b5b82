// The ua-profile notifier (RFC 6080): answers a device's SUBSCRIBE with its profile URL and notifies it when the profile changes.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Sipwire.Events;
using Sipwire.UserAgent;

namespace Sipwire.Presence;

/// <summary>
/// Serves Event: ua-profile (RFC 6080 §5.1) from a profile table through the generic notifier of a UA
/// core: each NOTIFY carries the profile URL by content indirection (message/external-body with
/// access-type="URL", RFC 4483 §4.2 and RFC 6080 §6), and <see cref="UpdateProfile"/> notifies every
/// device whose profile changed.
/// </summary>
public sealed class ProvisioningServer : IEventPackage
{
    private readonly UserAgentCore _core;
    private readonly List<UaProfile> _profiles = [];
    private readonly string _domain;
    private int _version;

    internal ProvisioningServer(UserAgentCore core, string domain)
    {
        _core = core;
        _domain = domain;
        core.AddEventPackage(this);
    }

    /// <inheritdoc />
    public string Name => "ua-profile";

    /// <inheritdoc />
    public int MinExpires => 60;

    /// <inheritdoc />
    public int MaxExpires => 7 * 86400;

    /// <inheritdoc />
    public int DefaultExpires => 86400; // RFC 6080 §5.1.4.3 leaves the default to the server: one day

    /// <summary>The profile table.</summary>
    public IReadOnlyList<UaProfile> Profiles => _profiles;

    /// <summary>
    /// Adds <paramref name="profile"/> or replaces the entry with the same profile-type, resource, vendor and
    /// model, then notifies every subscribed device whose profile URL changed (RFC 6080 §5.1.2: on a change).
    /// </summary>
    /// <returns>How many NOTIFYs were sent or queued.</returns>
    /// <exception cref="ArgumentException">The profile is invalid.</exception>
    public int UpdateProfile(UaProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        profile.Validate();
        int i = _profiles.FindIndex(p => p.SameKey(profile));
        if (i >= 0) _profiles[i] = profile;
        else _profiles.Add(profile);
        _version++;
        return NotifyChanged();
    }

    /// <summary>Removes the entry with the key of <paramref name="profile"/>; subscribers left without a profile get a final NOTIFY (reason=noresource).</summary>
    /// <returns>Whether an entry was removed.</returns>
    public bool RemoveProfile(UaProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        int i = _profiles.FindIndex(p => p.SameKey(profile));
        if (i < 0) return false;
        _profiles.RemoveAt(i);
        _version++;
        NotifyChanged();
        return true;
    }

    /// <summary>The best profile for a subscription's parameters, or null.</summary>
    public UaProfile? Lookup(EventHeaderValue ev, string resource)
    {
        ArgumentNullException.ThrowIfNull(ev);
        ArgumentNullException.ThrowIfNull(resource);
        string? type = ev.GetParameter("profile-type");
        string? canonical = PresenceAgent.Canonical(resource);
        if (type is null || canonical is null) return null;
        string? vendor = Unquote(ev.GetParameter("vendor"));
        string? model = Unquote(ev.GetParameter("model"));
        UaProfile? best = null;
        int bestScore = -1;
        foreach (UaProfile p in _profiles)
        {
            int s = p.Score(type, canonical, vendor, model);
            if (s > bestScore)
            {
                best = p;
                bestScore = s;
            }
        }
        return best;
    }

    /// <inheritdoc />
    public SubscriptionDecision Authorize(NotifierSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        // The server checked before (404 without a profile, digest for user profiles); a device is served at once.
        return Lookup(subscription.Event, subscription.Resource) is null ? SubscriptionDecision.Forbidden : SubscriptionDecision.Active;
    }

    /// <inheritdoc />
    public EventBody? GetState(NotifierSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        UaProfile? p = Lookup(subscription.Event, subscription.Resource);
        subscription.UserData = p;
        if (p is null) return null;
        // RFC 4483 §4.2 / RFC 2046 §5.2.3: the external body's headers name the content (Content-Type) and
        // identify it (Content-ID, required by RFC 4483); the content itself stays behind the URL.
        string contentType = $"message/external-body;access-type=\"URL\";URL=\"{p.Url}\"";
        string headers = $"Content-Type: {p.ContentType}\r\nContent-ID: <profile{_version.ToString(CultureInfo.InvariantCulture)}.{subscription.GetHashCode().ToString("x", CultureInfo.InvariantCulture)}@{_domain}>\r\n\r\n";
        return new EventBody(contentType, Encoding.ASCII.GetBytes(headers));
    }

    private int NotifyChanged()
    {
        int n = 0;
        foreach (NotifierSubscription ns in _core.NotifierSubscriptions)
        {
            if (!ReferenceEquals(ns.Package, this) || ns.State != SubscriptionState.Active) continue;
            UaProfile? now = Lookup(ns.Event, ns.Resource);
            if (now is null)
            {
                // RFC 6665 §4.1.3: the resource is gone; "noresource" tells the device not to retry.
                if (ns.Terminate("noresource")) n++;
                continue;
            }
            if (Equals(now, ns.UserData as UaProfile)) continue;
            if (ns.Notify()) n++;
        }
        return n;
    }

    private static string? Unquote(string? value) => value is null ? null : EventHeaderValue.Unquote(value);
}
