// Request handling shared by both proxy modes: validation (§16.3), route preprocessing (§16.4), targets (§16.5).
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Location;
using Sipwire.Registrar;
using Sipwire.Sip;
using Sipwire.Sip.Headers;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Proxy;

public sealed partial class SipProxy
{
    /// <summary>The outcome of <see cref="Analyze"/>: forward to targets, or answer locally.</summary>
    private struct Analysis
    {
        public int Status;          // 0: forward; else the response to send
        public string Reason;
        public string? ExtraHeader; // e.g. "Unsupported: foo"
        public string RequestUri;   // after §16.4
        public List<string>? Routes;
        public ulong Loop;
        public PeerAddress? Flow;   // RFC 5626 §5.3: the flow named by the flow token of our Path URI in the Route
        public bool AddPath;        // RFC 3327 §5.2: a REGISTER that gets our Path
        public bool AddRequirePath; // ... and Require: path, which it did not carry yet
        public SipMessage? Forward; // the request to forward when it differs from the received one (§22.3: our credentials consumed)
    }

    private Analysis Analyze(SipMessage request, in PeerAddress source, List<ProxyTarget> targets, bool includeAuthInLoopHash)
    {
        var a = new Analysis { Reason = "", RequestUri = "" };

        // §16.3 step 1: the message parsed (the transport answered malformed ones, §18). Step 2: URI scheme.
        SipParseError e = SipRequestChecks.CheckRequestUriScheme(request);
        if (e == SipParseError.UnsupportedUriScheme) return Fail(ref a, 416, "Unsupported URI Scheme");
        if (e != SipParseError.None) return Fail(ref a, 400, "Bad Request - Malformed Request-URI");

        // §16.3 step 3: Max-Forwards 0 is not forwarded.
        if (request.MaxForwards == 0) return Fail(ref a, 483, "Too Many Hops");

        // §16.3 step 4: a Via of ours whose branch carries this request's loop hash means it came back unchanged.
        a.Loop = LoopHash(request, includeAuthInLoopHash);
        foreach (SipVia via in request.Vias)
        {
            if (IsLocalSentBy(via) && ProxyBranchId.HasLoopHash(via.Branch, a.Loop)) return Fail(ref a, 482, "Loop Detected");
        }

        // §16.3 step 5: Proxy-Require option tags must all be supported.
        string[] supported = _supportedProxyRequire;
        if (SipRequestChecks.CheckRequire(request, asProxy: true, supported, out ByteRange bad) == SipParseError.BadExtension)
        {
            // §8.2.2.3 via §16.3: list the unsupported tags in Unsupported.
            var tags = new List<string>();
            SipTypedHeaders.TryGetTokens(request, SipHeaderKind.ProxyRequire, tags);
            var unsupported = tags.FindAll(t => !Array.Exists(supported, s => s.Equals(t, StringComparison.OrdinalIgnoreCase)));
            a.ExtraHeader = "Unsupported: " + (unsupported.Count > 0 ? string.Join(", ", unsupported) : SipMessage.ToText(bad.Slice(request.Span)));
            return Fail(ref a, 420, "Bad Extension");
        }

        // §16.3 step 6: proxy authorization of our own users' requests (SipProxy.Authentication.cs).
        if (!AuthorizeRequest(request, source, ref a)) return a;

        // §16.4: route information preprocessing.
        a.RequestUri = SipMessage.ToText(request.RequestUri);
        if (request.IndexOfHeader(SipHeaderKind.Route) >= 0)
        {
            a.Routes = [];
            for (int h = request.IndexOfHeader(SipHeaderKind.Route); h >= 0; h = request.IndexOfHeader(SipHeaderKind.Route, h + 1))
            {
                ReadOnlySpan<byte> v = request.GetHeaderValue(h);
                int pos = 0;
                while (HeaderList.Next(v, ref pos, out Range r)) a.Routes.Add(Encoding.UTF8.GetString(v[r]));
            }
            // A strict router upstream put our Record-Route URI into the Request-URI: the real one is the last Route.
            if (a.Routes.Count > 0 && SipUri.TryParse(a.RequestUri, out SipUri? ru) && IsLocalUri(ru!) && ru!.User is null)
            {
                string? last = RouteUri(a.Routes[^1]);
                if (last is null) return Fail(ref a, 400, "Bad Request - Malformed Route");
                a.RequestUri = last;
                a.Routes.RemoveAt(a.Routes.Count - 1);
            }
            // The first Route naming this proxy is removed.
            if (a.Routes.Count > 0)
            {
                string? first = RouteUri(a.Routes[0]);
                if (first is null || !SipUri.TryParse(first, out SipUri? fu)) return Fail(ref a, 400, "Bad Request - Malformed Route");
                if (IsLocalUri(fu!))
                {
                    a.Routes.RemoveAt(0);
                    if (fu!.User is string user && user.StartsWith(FlowToken.Prefix, StringComparison.Ordinal))
                    {
                        // Our Path URI (RFC 3327 §5.3: the registrar's side turned it into this Route): the request goes
                        // to the flow the REGISTER came in on (RFC 5626 §5.3); a token we did not make is refused with 403.
                        if (!_flowTokens.TryDecode(user, out PeerAddress flow)) return Fail(ref a, 403, "Forbidden - Invalid Flow Token");
                        // A request that arrived on that very flow goes outbound, by its remaining Route set or Request-URI
                        // (RFC 5626 §5.3: the token of our Record-Route comes back in the UA's own in-dialog requests).
                        if (!flow.SameEndPoint(source)) a.Flow = flow;
                    }
                }
            }
            // RFC 5658 §5: when we double record-routed, the next Route names us too (our other listener): drop it as well.
            if (a.Routes.Count > 0 && RouteUri(a.Routes[0]) is string second && SipUri.TryParse(second, out SipUri? su)
                && IsLocalUri(su!) && (su!.User is null || su.User.StartsWith(FlowToken.Prefix, StringComparison.Ordinal)))
            {
                a.Routes.RemoveAt(0);
            }
            if (a.Routes.Count == 0) a.Routes = null;
        }

        // §16.5: target determination.
        if (!SipUri.TryParse(a.RequestUri, out SipUri? target)) return Fail(ref a, 400, "Bad Request - Malformed Request-URI");
        if (a.Flow is not null)
        {
            // RFC 5626 §5.3: over the flow, whatever Route values remain (they name hops behind that flow).
            targets.Add(new ProxyTarget(a.RequestUri, 1000, "", a.Flow));
            return a;
        }
        if (a.Routes is not null)
        {
            // Still routed: the request goes on to the Route set with its Request-URI unchanged.
            targets.Add(new ProxyTarget(a.RequestUri, 1000, ""));
            return a;
        }
        bool ourDomain = IsOurDomain(target!.Host);
        if (_nextHopRoute is not null && request.To.Tag.IsEmpty && !IsLocalUri(target) && (!ourDomain || _registrar is null))
        {
            // §16.6 step 7 (local policy) / §16.12: what this proxy does not resolve itself - a foreign domain, or its
            // own domain when the registrar and location service are behind the next hop - goes there by a pushed
            // loose Route, the Request-URI unchanged. In-dialog requests (To tag) are not re-routed: their route set,
            // or the remote target in the Request-URI, is the path the dialog agreed on (§12.2.1.1).
            targets.Add(new ProxyTarget(a.RequestUri, 1000, _nextHopRoute));
            return a;
        }
        if (target.User is null && (ourDomain || IsLocalUri(target)))
        {
            // Addressed to this server itself (§16.5 "the proxy is the target"): act as a UAS.
            if (request.Method == SipMethod.Options)
            {
                a.ExtraHeader = "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER";
                return Fail(ref a, 200, "OK");
            }
            if (request.Method == SipMethod.Register) return Fail(ref a, 405, "Method Not Allowed - No Registrar Here");
            return Fail(ref a, 404, "Not Found");
        }
        if (ourDomain)
        {
            _bindings.Clear();
            string aor = SipRegistrar.Canonical(target);
            // RFC 5627 §6.1: a pub-gruu or temp-gruu reaches only its own instance's contacts; 404 when it is not a
            // currently valid GRUU, 480 when that instance has no live contact.
            GruuLookupResult gruu = _registrar?.Gruus.Find(_location, target, NowMs(), _bindings, out _) ?? GruuLookupResult.NotGruu;
            if (gruu == GruuLookupResult.Invalid) return Fail(ref a, 404, "Not Found - Not A Valid GRUU");
            if (gruu == GruuLookupResult.NoContacts) return Fail(ref a, 480, "Temporarily Unavailable");
            switch (gruu switch
            {
                GruuLookupResult.Found => LocationOutcome.Found,
                GruuLookupResult.Unreachable => LocationOutcome.Unreachable,
                _ => LocationQuery.Find(_location, aor, NowMs(), _bindings),
            })
            {
                case LocationOutcome.Unreachable:
                    a.ExtraHeader = "Retry-After: 30";
                    return Fail(ref a, 503, "Service Unavailable - Location Service Unreachable");
                case LocationOutcome.NotFound:
                    return Fail(ref a, 404, "Not Found");
                case LocationOutcome.AllExpired:
                    // §16.5: an empty target set SHOULD get 480.
                    return Fail(ref a, 480, "Temporarily Unavailable");
            }
            foreach (LocationBinding b in _bindings)
            {
                targets.Add(new ProxyTarget(b.ContactText, b.EffectiveQMillis, Encoding.UTF8.GetString(b.Path)));
            }
            // Highest q first (the store already orders so; a stable sort keeps its order among equals).
            var ordered = new List<ProxyTarget>(targets);
            ordered.Sort((x, y) => y.QMillis.CompareTo(x.QMillis));
            targets.Clear();
            targets.AddRange(ordered);
            return a;
        }
        targets.Add(new ProxyTarget(a.RequestUri, 1000, ""));
        return a;
    }

    private ulong LoopHash(SipMessage request, bool includeAuth)
    {
        if (includeAuth) return ProxyBranchId.LoopHash(request);
        // Stateless (§16.11): a CANCEL and an ACK must get the INVITE's branch; they need not carry its
        // Proxy-Authorization, so the stateless hash leaves it out.
        ulong h = ProxyBranchId.Hash(request.RequestUri);
        h = ProxyBranchId.Hash(request.To.Tag, h);
        h = ProxyBranchId.Hash(request.From.Tag, h);
        h = ProxyBranchId.Hash(request.CallId, h);
        Span<byte> cseq = stackalloc byte[10];
        request.CSeqNumber.TryFormat(cseq, out int n);
        h = ProxyBranchId.Hash(cseq[..n], h);
        for (int i = request.IndexOfHeader(SipHeaderKind.Route); i >= 0; i = request.IndexOfHeader(SipHeaderKind.Route, i + 1))
        {
            h = ProxyBranchId.Hash(request.GetHeaderValue(i), h);
        }
        return h;
    }

    private static Analysis Fail(ref Analysis a, int status, string reason)
    {
        a.Status = status;
        a.Reason = reason;
        return a;
    }

    /// <summary>The URI inside a Route/Path value "&lt;sip:...;lr&gt;" (name-addr form, §20.34).</summary>
    private static string? RouteUri(string value)
    {
        int lt = value.IndexOf('<', StringComparison.Ordinal);
        int gt = value.IndexOf('>', StringComparison.Ordinal);
        if (lt >= 0 && gt > lt) return value[(lt + 1)..gt];
        return null;
    }

    /// <summary>
    /// §16.6 steps 5-7: the Route set for one target (the binding's Path first, RFC 3327 §5.3), the strict-router
    /// rewrite when the next hop lacks ;lr, and the address the request goes to.
    /// </summary>
    private bool PrepareTarget(ProxyTarget target, List<string>? routes, out string requestUri, out List<string>? finalRoutes, out PeerAddress destination)
    {
        requestUri = target.Uri;
        destination = default;
        finalRoutes = null;
        if (target.Path.Length > 0)
        {
            finalRoutes = [];
            LocationRoute.AddPath(target.Path, finalRoutes);
        }
        if (routes is not null) (finalRoutes ??= []).AddRange(routes);
        if (finalRoutes is { Count: 0 }) finalRoutes = null;
        SipUri? next;
        if (finalRoutes is not null)
        {
            string? first = RouteUri(finalRoutes[0]);
            if (first is null || !SipUri.TryParse(first, out next)) return false;
            if (!next!.HasParameter("lr"))
            {
                // §16.6 step 6: a strict router gets the Request-URI as its last Route and becomes the Request-URI.
                finalRoutes.Add("<" + requestUri + ">");
                finalRoutes.RemoveAt(0);
                requestUri = first;
                if (finalRoutes.Count == 0) finalRoutes = null;
            }
        }
        else if (!SipUri.TryParse(requestUri, out next))
        {
            return false;
        }
        if (target.Flow is PeerAddress flow)
        {
            destination = flow;
            return true;
        }
        PeerAddress? d = ResolveUri(next!);
        if (d is null) return false;
        destination = d.Value;
        return true;
    }

    private int WriteOurVia(in PeerAddress destination, ulong loop, ulong part)
    {
        var w = new SipMessageWriter(_viaBuffer);
        w.Append(destination.Protocol switch
        {
            TransportProtocol.Tcp => "SIP/2.0/TCP "u8,
            TransportProtocol.Tls => "SIP/2.0/TLS "u8,
            _ => "SIP/2.0/UDP "u8,
        });
        // Via names the listener of the transport the request leaves on (§18.1.1: sent-by is where responses come back).
        w.Append(_sentByOf[(int)destination.Protocol]);
        w.Append(";branch="u8);
        Span<byte> branch = stackalloc byte[64];
        int n = ProxyBranchId.Write(branch, loop, part);
        w.Append(branch[..n]);
        return w.Length;
    }

    /// <summary>Record-Route for requests that may create a dialog (§16.6 step 4); never on REGISTER (§10.3 uses Path).</summary>
    private bool WantsRecordRoute(SipMessage request) =>
        _options.RecordRoute && request.Method is not (SipMethod.Register or SipMethod.Ack or SipMethod.Cancel);

    /// <summary>A locally generated response through a server transaction, with one optional extra header line.</summary>
    private void RespondOn(Transaction transaction, SipMessage request, int status, string reason, string? extraHeader)
    {
        int n = WriteLocalResponse(request, transaction.Source, status, reason, extraHeader);
        if (n > 0) _layer.Respond(transaction, _buffer.AsSpan(0, n));
    }

    private int WriteLocalResponse(SipMessage request, in PeerAddress source, int status, string reason, string? extraHeader)
    {
        var w = new SipMessageWriter(_buffer);
        byte[] tag = new byte[16];
        BranchId.WriteRandomHex(tag);
        SipResponses.WriteHead(ref w, request, source, status, Encoding.UTF8.GetBytes(reason), tag);
        if (extraHeader is not null)
        {
            w.AppendText(extraHeader);
            w.Append("\r\n"u8);
        }
        w.End();
        return w.Overflowed ? -1 : w.Length;
    }
}
