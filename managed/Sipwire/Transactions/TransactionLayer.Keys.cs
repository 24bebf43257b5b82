// Transaction keys: RFC 3261 §17.1.3 (client), §17.2.3 (server) and the RFC 2543 fallback.
// SPDX-License-Identifier: MIT

using System;
using System.Buffers.Binary;
using Sipwire.Sip;

namespace Sipwire.Transactions;

public sealed partial class TransactionLayer
{
    /// <summary>
    /// True when the top Via carries an RFC 3261 branch: the magic cookie followed by at least one
    /// character. A branch that is only the cookie cannot be unique (RFC 4475 §3.2.1 badbranch), so
    /// it is matched with the RFC 2543 rules, like a branch without the cookie (§17.2.3).
    /// </summary>
    internal static bool HasRfc3261Branch(SipVia via) => via.HasMagicCookie && via.Branch.Length > 7;

    private static int WriteMethod(Span<byte> k, int n, SipMethod method, ReadOnlySpan<byte> name)
    {
        k[n++] = (byte)method;
        if (method == SipMethod.Extension)
        {
            if (name.Length + 1 > k.Length - n) return -1;
            name.CopyTo(k[n..]);
            n += name.Length;
            k[n++] = 0;
        }
        return n;
    }

    private static int Put(Span<byte> k, int n, ReadOnlySpan<byte> part)
    {
        if (n < 0 || part.Length + 1 > k.Length - n) return -1;
        part.CopyTo(k[n..]);
        n += part.Length;
        k[n++] = 0;
        return n;
    }

    /// <summary>§17.1.3: a response matches by the top Via branch and the CSeq method.</summary>
    private int ClientKey(SipVia topVia, SipMethod cseqMethod, ReadOnlySpan<byte> cseqMethodName)
    {
        Span<byte> k = _keyScratch;
        k[0] = (byte)'C';
        int n = WriteMethod(k, 1, cseqMethod, cseqMethodName);
        return Put(k, n, topVia.Branch);
    }

    /// <summary>
    /// §17.2.3: with an RFC 3261 branch, a request matches by branch, sent-by and method (ACK
    /// matches its INVITE). Without one, the RFC 2543 rules apply: Request-URI, From tag, Call-ID,
    /// CSeq number and the whole top Via; the To tag is compared separately (it differs for ACK).
    /// </summary>
    private int ServerKey(SipMessage request, SipMethod method, ReadOnlySpan<byte> methodName, out bool rfc2543)
    {
        Span<byte> k = _keyScratch;
        SipVia via = request.TopVia;
        rfc2543 = !HasRfc3261Branch(via);
        if (!rfc2543)
        {
            k[0] = (byte)'S';
            int n = WriteMethod(k, 1, method, methodName);
            n = Put(k, n, via.Branch);
            if (n < 0 || via.Host.Length + 8 > k.Length - n) return -1;
            // sent-by: host names compare case-insensitively (§19.1.4).
            n += System.Text.Ascii.ToLower(via.Host, k[n..], out int written) == System.Buffers.OperationStatus.Done ? written : 0;
            k[n++] = 0;
            BinaryPrimitives.WriteInt32LittleEndian(k[n..], via.Port);
            return n + 4;
        }
        k[0] = (byte)'R';
        int m = WriteMethod(k, 1, method, methodName);
        m = Put(k, m, request.RequestUri);
        m = Put(k, m, request.From.Tag);
        m = Put(k, m, request.CallId);
        if (m < 0 || k.Length - m < 4) return -1;
        BinaryPrimitives.WriteUInt32LittleEndian(k[m..], request.CSeqNumber);
        m += 4;
        return Put(k, m, via.Value);
    }
}
