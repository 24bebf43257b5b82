// 3xx redirection of the UA core's outgoing calls (RFC 3261 §8.1.3.4, §21.3) with a hop limit and loop protection.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using Sipwire.Sip;
using Sipwire.Sip.Headers;
using Sipwire.Transport;

namespace Sipwire.UserAgent;

public sealed partial class UserAgentCore
{
    /// <summary>Follows a 3xx to the INVITE; false when the call should end with it (no usable Contact, 380, following off).</summary>
    private bool TryRedirect(SipCall call, SipMessage response, int code, string reason)
    {
        UserAgentOptions o = _options!;
        // §21.3.5: 380 Alternative Service describes the alternative in its body: it ends the call (FailureReason keeps the detail).
        if (code == 380 || o.MaxRedirects == 0) return false;
        List<SipNameAddressHeader> contacts = CallHeaders.ContactsByQ(response);
        if (code == 305)
        {
            // §21.3.6: the request is repeated, unchanged, through the proxy the Contact names.
            if (contacts.Count == 0 || contacts[0].Uri is not { } proxy || !SipUriTarget.TryResolveLiteral(proxy.ToString(), out PeerAddress next)) return false;
            if (call._redirects >= o.MaxRedirects)
            {
                End(call, code, $"{reason} (redirection limit of {o.MaxRedirects} reached)", byLocal: false);
                return true;
            }
            call._redirects++;
            call._destination = next;
            call._direct = false;
            call.Raise(new CallEvent(CallEventKind.Redirected, code, $"{reason}: via proxy {proxy}", false, null));
            ResendInvite(call);
            return true;
        }
        // §8.1.3.4: the Contacts join the target set, tried in order of q (highest first), each URI
        // once (a URI already tried is a loop). Newer targets are tried before older ones (recursion).
        int insert = 0;
        foreach (SipNameAddressHeader c in contacts)
        {
            if (c.Uri is not { } uri || uri.Scheme is not (SipUriScheme.Sip or SipUriScheme.Sips)) continue;
            string text = uri.ToString();
            if (call._triedTargets.Contains(text) || call._targetSet.Contains(text)) continue;
            call._targetSet.Insert(insert++, text);
        }
        return TryNextTarget(call, code, reason);
    }

    /// <summary>Sends the INVITE to the next target of the set; false when none is left.</summary>
    private bool TryNextTarget(SipCall call, int code, string reason)
    {
        UserAgentOptions o = _options!;
        while (call._targetSet.Count > 0)
        {
            if (call._redirects >= o.MaxRedirects)
            {
                End(call, code, $"{reason} (redirection limit of {o.MaxRedirects} reached)", byLocal: false);
                return true;
            }
            string next = call._targetSet[0];
            call._targetSet.RemoveAt(0);
            if (!call._triedTargets.Add(next)) continue;
            PeerAddress destination = call._destination;
            // Without an outbound proxy the request goes to the new target's own address; a name
            // that needs DNS is not reachable from here, so that target is skipped.
            if (call._direct && !SipUriTarget.TryResolveLiteral(next, out destination)) continue;
            call._redirects++;
            call._requestUri = next;
            call._destination = destination;
            call.Raise(new CallEvent(CallEventKind.Redirected, code, $"{reason} -> {next}", false, null));
            ResendInvite(call);
            return true;
        }
        return false;
    }

    private void ResendInvite(SipCall call)
    {
        // §8.1.3.4: same Call-ID, From (tag) and To, a new CSeq; the offer is the same.
        call._inviteCSeq++;
        call._rseqByTag.Clear();
        call._answerReceived = false;
        if (!SendInitialInvite(call)) End(call, 503, "Service Unavailable (redirected INVITE could not be sent)", byLocal: true);
    }

    /// <summary>The reason of a final failure with what the response says about it (RFC 3261 §20.40, §21.3.5, §21.4.15-16).</summary>
    private static string FailureReason(SipMessage response, int code, string reason) => code switch
    {
        420 => $"{reason} (Unsupported: {string.Join(", ", CallHeaders.Tokens(response, SipHeaderKind.Unsupported))})",
        421 => $"{reason} (Require: {string.Join(", ", CallHeaders.Tokens(response, SipHeaderKind.Require))})",
        422 => $"{reason} (Min-SE: {CallHeaders.MinSE(response)})",
        380 => $"{reason} (alternative service: {SipMessage.ToText(response.Body).Trim()})",
        >= 300 and < 400 => $"{reason} (no untried Contact to follow: redirection loop or none given)",
        _ => reason,
    };
}
