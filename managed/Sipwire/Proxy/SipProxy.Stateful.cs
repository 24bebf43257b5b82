// Transaction-stateful proxying (RFC 3261 §16.6-§16.10): branches, forking, best-response selection, CANCEL.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Sip;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Proxy;

public sealed partial class SipProxy
{
    private readonly List<ProxyTarget> _targets = [];

    private void StartStateful(Transaction server, SipMessage request)
    {
        _targets.Clear();
        Analysis a = Analyze(request, server.Source, _targets, includeAuthInLoopHash: true);
        if (a.Status == 0) ApplyPathPolicy(request, ref a);
        if (a.Status != 0)
        {
            RespondOn(server, request, a.Status, a.Reason, a.ExtraHeader);
            Log(request, server.Source, a.Status, a.Reason, 0);
            return;
        }
        var ctx = new ProxyContext(server, (a.Forward ?? request).Span.ToArray(), server.Source)
        {
            IsInvite = request.Method == SipMethod.Invite,
            RequestUri = a.RequestUri,
            Routes = a.Routes,
            Loop = a.Loop,
            AddPath = a.AddPath,
            AddRequirePath = a.AddRequirePath,
            Upstream = server.Remote,
        };
        server.UserData = ctx;
        // §16.2 / §16.7: a stateful proxy answers an INVITE with 100 Trying at once, so the upstream stops retransmitting.
        if (ctx.IsInvite) _layer.Respond(server, 100, "Trying"u8, []);
        ctx.Pending.AddRange(_targets);
        if (_options.Forking == ForkingMode.Parallel)
        {
            while (ctx.Pending.Count > 0) StartBranch(ctx, TakeFirst(ctx));
        }
        else
        {
            StartNextGroup(ctx);
        }
        CheckCompletion(ctx);
        Schedule(ctx);
    }

    private static ProxyTarget TakeFirst(ProxyContext ctx)
    {
        ProxyTarget t = ctx.Pending[0];
        ctx.Pending.RemoveAt(0);
        return t;
    }

    /// <summary>Sequential forking: starts every pending target with the highest remaining q (equal q in parallel).</summary>
    private void StartNextGroup(ProxyContext ctx)
    {
        if (ctx.Pending.Count == 0) return;
        int q = ctx.Pending[0].QMillis;
        while (ctx.Pending.Count > 0 && ctx.Pending[0].QMillis == q) StartBranch(ctx, TakeFirst(ctx));
        ctx.NextGroupAt = ctx.Pending.Count > 0 ? _layer.Clock.NowMicros + _options.SequentialTimeout.Ticks / 10 : long.MaxValue;
    }

    private void StartBranch(ProxyContext ctx, ProxyTarget target)
    {
        var branch = new ProxyBranch(ctx, target);
        ctx.Branches.Add(branch);
        if (!PrepareTarget(target, ctx.Routes, out string requestUri, out List<string>? routes, out PeerAddress destination))
        {
            // An unresolvable target fails its branch only (§16.7 keeps looking at the others).
            branch.FinalStatus = 404;
            return;
        }
        if (!SipParser.Parse(ctx.Request.AsMemory(), SipFraming.Datagram, _work).IsDone)
        {
            branch.FinalStatus = 500;
            return;
        }
        int viaLength = WriteOurVia(destination, ctx.Loop, ++_counter ^ (_instance << 20));
        byte[] uri = Encoding.UTF8.GetBytes(requestUri);
        int length = ProxyMessageWriter.WriteRequest(_work, ctx.Source, uri, routes, _viaBuffer.AsSpan(0, viaLength),
            WantsRecordRoute(_work) ? EdgeRecordRoute(RecordRouteFor(_work, ctx.Source.Protocol, destination.Protocol), target.Flow ?? ctx.Source) : [], _buffer, PathHeaders(ctx.AddPath, ctx.AddRequirePath, ctx.Source, destination.Protocol));
        if (length < 0)
        {
            branch.FinalStatus = 513;
            return;
        }
        Transaction? tx;
        try
        {
            tx = _layer.SendRequest(_buffer.AsSpan(0, length), destination);
        }
        catch (ArgumentException)
        {
            tx = null;
        }
        if (tx is null)
        {
            // The client table is full: this branch behaves as a 503 (§16.9).
            branch.FinalStatus = 503;
            return;
        }
        tx.UserData = branch;
        branch.Transaction = tx;
        branch.Generation = tx.Generation;
    }

    private static bool Owns(ProxyBranch b) => b.Transaction is not null && b.Transaction.Generation == b.Generation && b.Transaction.UserData == b;

    private void BranchResponse(ProxyBranch branch, SipMessage response)
    {
        ProxyContext ctx = branch.Context;
        int code = response.StatusCode;
        if (code < 200)
        {
            // §16.7 step 3: 100 is not forwarded. Other provisionals go upstream at once (step 5); Timer C restarts (step 2).
            if (code > 100) branch.Provisional = true;
            if (ctx.IsInvite)
            {
                branch.TimerCAt = _layer.Clock.NowMicros + _options.TimerC.Ticks / 10;
                Schedule(ctx);
            }
            if (code == 100 || ctx.FinalSent || !ServerAlive(ctx)) return;
            int n = ProxyMessageWriter.WriteResponse(response, null, _buffer);
            if (n > 0) _layer.Respond(ctx.Server!, _buffer.AsSpan(0, n));
            return;
        }
        if (code < 300)
        {
            // §16.7 step 5: every 2xx is forwarded at once (to an INVITE, several may come from different branches).
            bool first = branch.IsPending;
            if (first) branch.FinalStatus = code;
            if (ctx.IsInvite || !ctx.FinalSent)
            {
                int n = ProxyMessageWriter.WriteResponse(response, null, _buffer);
                if (n > 0)
                {
                    bool sent = ServerAlive(ctx) && _layer.Respond(ctx.Server!, _buffer.AsSpan(0, n));
                    if (!sent && ctx.IsInvite) _layer.SendStateless(_buffer.AsSpan(0, n), ctx.Upstream);
                }
                if (!ctx.FinalSent) LogContext(ctx, code, SipMessage.ToText(response.ReasonPhrase));
                ctx.FinalSent = true;
            }
            // §16.7 step 10: after a 2xx the other pending INVITE branches are cancelled.
            ctx.NoNewBranches = true;
            ctx.Pending.Clear();
            CancelPending(ctx);
            return;
        }
        if (!branch.IsPending) return;
        branch.FinalStatus = code;
        BranchFinished(ctx, branch, response);
    }

    private static bool ServerAlive(ProxyContext ctx) => ctx.Server is not null && ctx.Server.Generation == ctx.ServerGeneration && ctx.Server.UserData == ctx;

    /// <summary>A branch ended with a final non-2xx (received, or synthesised when <paramref name="response"/> is null).</summary>
    private void BranchFinished(ProxyContext ctx, ProxyBranch branch, SipMessage? response)
    {
        int code = branch.FinalStatus;
        if (response is not null && code is 401 or 407)
        {
            // §16.7 step 7: keep every challenge of every 401/407 for the aggregated response.
            for (int i = 0; i < response.HeaderCount; i++)
            {
                SipHeaderKind k = response.GetHeader(i).Kind;
                if (k == SipHeaderKind.WwwAuthenticate) ctx.Challenges.Add(("WWW-Authenticate", SipMessage.ToText(response.GetHeaderValue(i))));
                else if (k == SipHeaderKind.ProxyAuthenticate) ctx.Challenges.Add(("Proxy-Authenticate", SipMessage.ToText(response.GetHeaderValue(i))));
            }
        }
        if (ctx.BestStatus == 0 || Score(code) < Score(ctx.BestStatus))
        {
            ctx.BestStatus = code;
            ctx.Best = response?.Span.ToArray();
        }
        if (code >= 600)
        {
            // §16.7 step 5: a 6xx ends the search - cancel everything pending, create no new branch.
            ctx.NoNewBranches = true;
            ctx.Pending.Clear();
            CancelPending(ctx);
        }
        CheckCompletion(ctx);
    }

    /// <summary>
    /// §16.7 step 6: 6xx beats everything; else the lowest class wins, and within 4xx the responses a client can
    /// act on (401, 407, 415, 420, 484) are preferred. Lower is better.
    /// </summary>
    private static int Score(int code)
    {
        if (code >= 600) return 0;
        int cls = code / 100;
        bool preferred = code is 401 or 407 or 415 or 420 or 484;
        return cls * 10 + (preferred ? 0 : 1);
    }

    private void CheckCompletion(ProxyContext ctx)
    {
        if (ctx.FinalSent) return;
        foreach (ProxyBranch b in ctx.Branches)
        {
            if (b.IsPending) return;
        }
        if (!ctx.NoNewBranches && ctx.Pending.Count > 0)
        {
            // Sequential forking: the group failed, the next q-group is tried (§16.6).
            StartNextGroup(ctx);
            Schedule(ctx);
            CheckCompletion(ctx);
            return;
        }
        SendBest(ctx);
    }

    private void SendBest(ProxyContext ctx)
    {
        ctx.FinalSent = true;
        ctx.NextGroupAt = long.MaxValue;
        if (!ServerAlive(ctx)) return;
        Transaction server = ctx.Server!;
        int status = ctx.BestStatus == 0 ? 408 : ctx.BestStatus;
        if (ctx.Best is not null && SipParser.Parse(ctx.Best.AsMemory(), SipFraming.Datagram, _work).IsDone)
        {
            // §16.7 step 6: a 503 from downstream goes upstream as 500, so that the client does not
            // take this proxy for unavailable.
            if (status == 503)
            {
                SendLocal(ctx, server, 500, "Server Internal Error - Downstream Unavailable");
                return;
            }
            List<(string, string)>? challenges = status is 401 or 407 ? ctx.Challenges : null;
            int n = ProxyMessageWriter.WriteResponse(_work, challenges, _buffer);
            if (n > 0) _layer.Respond(server, _buffer.AsSpan(0, n));
            LogContext(ctx, status, SipMessage.ToText(_work.ReasonPhrase));
            return;
        }
        // No response came back: 408 for timeouts (§16.7 step 6), 500 for a transport failure (as for 503),
        // else the local reason of the synthesised status.
        switch (status)
        {
            case 408: SendLocal(ctx, server, 408, "Request Timeout"); break;
            case 503: SendLocal(ctx, server, 500, "Server Internal Error - Downstream Unreachable"); break;
            case 404: SendLocal(ctx, server, 404, "Not Found - Unresolvable Destination"); break;
            case 513: SendLocal(ctx, server, 513, "Message Too Large"); break;
            default: SendLocal(ctx, server, status, "Server Internal Error"); break;
        }
    }

    private void SendLocal(ProxyContext ctx, Transaction server, int status, string reason)
    {
        if (!SipParser.Parse(ctx.Request.AsMemory(), SipFraming.Datagram, _work).IsDone) return;
        RespondOn(server, _work, status, reason, null);
        LogContext(ctx, status, reason);
    }

    private void LogContext(ProxyContext ctx, int status, string reason)
    {
        if (Logged is null || !SipParser.Parse(ctx.Request.AsMemory(), SipFraming.Datagram, _work).IsDone) return;
        Log(_work, ctx.Source, status, reason, ctx.Branches.Count);
    }

    /// <summary>§16.10: CANCEL every pending INVITE branch (the layer waits for a provisional before sending it, §9.1).</summary>
    private void CancelPending(ProxyContext ctx)
    {
        if (!ctx.IsInvite) return;
        foreach (ProxyBranch b in ctx.Branches)
        {
            if (!b.IsPending || b.Cancelled || !Owns(b)) continue;
            b.Cancelled = true;
            _layer.Cancel(b.Transaction!);
        }
    }

    /// <summary>§16.10: the CANCEL was answered 200 by the layer; the pending branches are cancelled and no new ones start.</summary>
    private void CancelContext(ProxyContext ctx)
    {
        ctx.NoNewBranches = true;
        ctx.Pending.Clear();
        ctx.NextGroupAt = long.MaxValue;
        CancelPending(ctx);
        CheckCompletion(ctx);
    }

    private void FireTimers(ProxyContext ctx, long now)
    {
        foreach (ProxyBranch b in ctx.Branches)
        {
            if (b.IsPending && b.TimerCAt <= now)
            {
                // §16.8: Timer C fired - a branch with a provisional is cancelled; without one it behaves as a 408.
                b.TimerCAt = long.MaxValue;
                if (b.Provisional && Owns(b) && !b.Cancelled)
                {
                    b.Cancelled = true;
                    _layer.Cancel(b.Transaction!);
                }
                else if (!b.Provisional)
                {
                    b.FinalStatus = 408;
                    BranchFinished(ctx, b, null);
                }
            }
        }
        if (ctx.NextGroupAt <= now)
        {
            // Sequential forking: the ringing group had its time; it is cancelled and the next group starts.
            ctx.NextGroupAt = long.MaxValue;
            CancelPending(ctx);
            if (!ctx.NoNewBranches) StartNextGroup(ctx);
            CheckCompletion(ctx);
        }
    }
}
