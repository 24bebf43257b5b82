// Option-tag checks (RFC 3261 §8.2.2.3) and small response helpers shared by the UA core's call features.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Text;
using Sipwire.Sip;
using Sipwire.Transactions;

namespace Sipwire.UserAgent;

public sealed partial class UserAgentCore
{
    private SipMessage? _helperParsed; // created on first use: an idle UA never re-parses (issue 5 memory target)

    /// <summary>§8.2.2.3: a request that Requires an option tag we do not implement gets 420 with the tags in Unsupported.</summary>
    private bool RejectUnsupportedRequire(Transaction transaction, SipMessage request)
    {
        if (request.Method is SipMethod.Ack or SipMethod.Cancel || request.IndexOfHeader(SipHeaderKind.Require) < 0) return false;
        var unsupported = new List<string>();
        foreach (string tag in CallHeaders.Tokens(request, SipHeaderKind.Require))
        {
            if (!Understands(tag)) unsupported.Add(tag);
        }
        if (unsupported.Count == 0) return false;
        RespondWithHeaders(transaction, request, 420, "Bad Extension", request.To.HasTag ? "" : RandomHex(16), $"Unsupported: {string.Join(", ", unsupported)}\r\n");
        return true;
    }

    /// <summary>Sends a response without body with extra header lines ("Name: value\r\n"); <paramref name="request"/> null re-parses the transaction's request.</summary>
    private void RespondWithHeaders(Transaction transaction, SipMessage? request, int code, string reason, string tag, string headers)
    {
        if (request is null)
        {
            _helperParsed ??= new SipMessage();
            if (!SipParser.Parse(transaction.Request, SipFraming.Datagram, _helperParsed).IsDone) return;
            request = _helperParsed;
        }
        var w = new SipMessageWriter(_layer.MessageBuffer);
        SipResponses.WriteHead(ref w, request, transaction.Source, code, Encoding.UTF8.GetBytes(reason), Encoding.ASCII.GetBytes(tag));
        w.AppendText(headers);
        w.End();
        if (!w.Overflowed) _layer.Respond(transaction, w.Written);
        else _layer.Respond(transaction, code, Encoding.UTF8.GetBytes(reason), Encoding.ASCII.GetBytes(tag));
    }

    /// <summary>A random integer in [min, maxExclusive) from the injected source (UserAgentOptions.Random).</summary>
    private int RandomInt(int min, int maxExclusive) => (_options?.Random ?? Random.Shared).Next(min, maxExclusive);
}
