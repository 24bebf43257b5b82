// Request and response text for transaction tests, written from the RFC 3261 §8.1.1 rules.
// SPDX-License-Identifier: MIT

using System.Text;

namespace Sipwire.Tests.Transactions;

internal static class TestMessages
{
    public static byte[] Request(string method, string branch, string callId = "call-1@test", int cseq = 1,
        string sentBy = "10.0.0.1:5060", string toTag = "", string cseqMethod = "", string extra = "")
    {
        string to = toTag.Length > 0 ? $"<sip:bob@test>;tag={toTag}" : "<sip:bob@test>";
        string text =
            $"{method} sip:bob@10.0.0.2 SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP {sentBy};branch={branch}\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: <sip:alice@test>;tag=a1\r\n" +
            $"To: {to}\r\n" +
            $"Call-ID: {callId}\r\n" +
            $"CSeq: {cseq} {(cseqMethod.Length > 0 ? cseqMethod : method)}\r\n" +
            extra +
            "Content-Length: 0\r\n\r\n";
        return Encoding.ASCII.GetBytes(text);
    }

    /// <summary>A response to a request made by <see cref="Request"/> (same Via, From, Call-ID, CSeq).</summary>
    public static byte[] Response(int code, string reason, string method, string branch, string callId = "call-1@test",
        int cseq = 1, string toTag = "b1", string sentBy = "10.0.0.1:5060")
    {
        string to = toTag.Length > 0 ? $"<sip:bob@test>;tag={toTag}" : "<sip:bob@test>";
        string text =
            $"SIP/2.0 {code} {reason}\r\n" +
            $"Via: SIP/2.0/UDP {sentBy};branch={branch}\r\n" +
            "From: <sip:alice@test>;tag=a1\r\n" +
            $"To: {to}\r\n" +
            $"Call-ID: {callId}\r\n" +
            $"CSeq: {cseq} {method}\r\n" +
            "Content-Length: 0\r\n\r\n";
        return Encoding.ASCII.GetBytes(text);
    }
}
