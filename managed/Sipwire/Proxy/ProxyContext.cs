// The response context of one request forwarded statefully (RFC 3261 §16.7): its branches and the best response so far.
// SPDX-License-Identifier: MIT

using System.Collections.Generic;
using Sipwire.Transactions;
using Sipwire.Transport;

namespace Sipwire.Proxy;

/// <summary>What a stateful proxy keeps per server transaction until its final response is sent.</summary>
internal sealed class ProxyContext
{
    public ProxyContext(Transaction server, byte[] request, PeerAddress source)
    {
        Server = server;
        ServerGeneration = server.Generation;
        Request = request;
        Source = source;
    }

    /// <summary>The server transaction, null once it terminated.</summary>
    public Transaction? Server { get; set; }

    public int ServerGeneration { get; }

    /// <summary>The request as received (bytes owned by the context; the transaction's copy goes away with it).</summary>
    public byte[] Request { get; }

    public PeerAddress Source { get; }

    public bool IsInvite { get; set; }

    /// <summary>The loop-detection hash of the request (§16.6 step 8), shared by every branch.</summary>
    public ulong Loop { get; set; }

    /// <summary>Where responses go upstream when the server transaction is gone (late 2xx, §16.7 step 5).</summary>
    public PeerAddress Upstream { get; set; }

    /// <summary>The Request-URI after route preprocessing (§16.4) and the Route values left for forwarding.</summary>
    public string RequestUri { get; set; } = "";

    public List<string>? Routes { get; set; }

    /// <summary>RFC 3327 §5.2: every branch of this REGISTER gets our Path (and Require: path when <see cref="AddRequirePath"/>).</summary>
    public bool AddPath { get; set; }

    public bool AddRequirePath { get; set; }

    public List<ProxyBranch> Branches { get; } = [];

    /// <summary>Targets not yet tried (sequential forking), highest q first.</summary>
    public List<ProxyTarget> Pending { get; } = [];

    /// <summary>A final response went upstream (no second one, except further 2xx to an INVITE, §16.7 step 5).</summary>
    public bool FinalSent { get; set; }

    /// <summary>A 2xx (§16.7 step 10) or 6xx (§16.7 step 5) arrived, or the request was cancelled: no new branches.</summary>
    public bool NoNewBranches { get; set; }

    /// <summary>The best final response so far without our Via (§16.7 step 6), or null.</summary>
    public byte[]? Best { get; set; }

    public int BestStatus { get; set; }

    /// <summary>WWW-Authenticate / Proxy-Authenticate values of every 401/407 received (§16.7 step 7).</summary>
    public List<(string Name, string Value)> Challenges { get; } = [];

    /// <summary>Sequential forking: when the running q-group is given up.</summary>
    public long NextGroupAt { get; set; } = long.MaxValue;

    public long Deadline
    {
        get
        {
            long d = NextGroupAt;
            foreach (ProxyBranch b in Branches)
            {
                if (b.IsPending && b.TimerCAt < d) d = b.TimerCAt;
            }
            return d;
        }
    }
}
