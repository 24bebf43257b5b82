// One downstream client transaction of a stateful proxy context (RFC 3261 §16.6-§16.8).
// SPDX-License-Identifier: MIT

using Sipwire.Transactions;

namespace Sipwire.Proxy;

/// <summary>A branch: the client transaction, its target and what it has answered so far.</summary>
internal sealed class ProxyBranch
{
    public ProxyBranch(ProxyContext context, ProxyTarget target)
    {
        Context = context;
        Target = target;
    }

    public ProxyContext Context { get; }

    public ProxyTarget Target { get; }

    /// <summary>The client transaction, null once it terminated.</summary>
    public Transaction? Transaction { get; set; }

    /// <summary>The transaction object's generation when it was ours (objects are pooled).</summary>
    public int Generation { get; set; }

    /// <summary>The final status received (or synthesised: 408 timeout, 503 transport error), 0 while pending.</summary>
    public int FinalStatus { get; set; }

    /// <summary>A provisional response (101-199) arrived, so a CANCEL can be sent at once (§9.1).</summary>
    public bool Provisional { get; set; }

    /// <summary>CANCEL was requested for this branch.</summary>
    public bool Cancelled { get; set; }

    /// <summary>Timer C deadline in clock microseconds (INVITE branches, §16.6 step 11).</summary>
    public long TimerCAt { get; set; } = long.MaxValue;

    public bool IsPending => FinalStatus == 0;
}
