// Redirects on the callee leg (RFC 3261 §8.1.3.4): the B2BUA follows the callee's 3xx Contacts itself; the caller never sees them.
// SPDX-License-Identifier: MIT

using System;
using Sipwire.Sip;
using Sipwire.Sip.Headers;
using Sipwire.Transactions;
using Sipwire.Transport;
using Sipwire.UserAgent;

namespace Sipwire.B2bua;

public sealed partial class SipB2bua
{
    private const int MaxRedirects = 5;

    /// <summary>
    /// A 3xx (or a failure of a redirected target) on the callee leg: call the next target the redirects named,
    /// best q first (§8.1.3.4), each URI once (a redirect loop ends), at most <see cref="MaxRedirects"/> new targets.
    /// Handing the 3xx to the caller would leak the callee side's Contacts (topology hiding), so the B2BUA recurses.
    /// False when no target is left: the caller then gets the mapped failure.
    /// </summary>
    private bool TryNextTarget(B2buaCall call, SipMessage response)
    {
        int code = response.StatusCode;
        if (code is >= 300 and < 400 && code is not (305 or 380))
        {
            // §8.1.3.4: 305 names a proxy to use and 380 an alternative service, neither a target to call.
            foreach (SipNameAddressHeader c in CallHeaders.ContactsByQ(response))
            {
                if (c.IsStar || c.Uri is null) continue;
                string uri = c.Uri.ToString();
                if (uri.AsSpan().IndexOfAny('\r', '\n') >= 0 || call._triedTargets.Contains(uri) || call._targetSet.Contains(uri)) continue;
                call._targetSet.Add(uri);
            }
        }
        while (call._targetSet.Count > 0 && call._redirects < MaxRedirects)
        {
            string target = call._targetSet[0];
            call._targetSet.RemoveAt(0);
            call._triedTargets.Add(target);
            // Only an address we can send to: a name would need RFC 3263 resolution the B2BUA does not do here.
            if (!SipUriTarget.TryResolveLiteral(target, out PeerAddress destination)) continue;
            call._redirects++;
            call._calleeCSeq++;
            call._route = B2buaRoute.Forward(target, destination);
            SipMessage callerRequest = CallerRequest(call);
            ReadOnlyMemory<byte> offer = call._delayedOffer ? default : call._calleeOffer;
            int n = WriteInvite(call, callerRequest, call._route, offer.Span);
            Transaction? t = n > 0 ? _layer.SendRequest(_buffer.AsSpan(0, n), destination) : null;
            if (t is null) continue;
            t.UserData = call;
            call._calleeInvite = t;
            call.TargetUri = target;
            Raise(B2buaEventKind.Routing, call, code, "redirected to " + target, B2buaSide.Callee);
            return true;
        }
        return false;
    }
}
