// UDP load generator for the server benchmarks: N requests, a window of outstanding ones, responses counted per second.
// SPDX-License-Identifier: MIT

using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sipwire.Bench.Sip;

/// <summary>
/// Sends a request template with an 8-digit index patched into its branch, Call-ID and user parts (no allocation
/// per request), keeps <c>window</c> requests outstanding, matches responses by the branch index and refills the
/// window after 200 ms of silence (lost requests are counted, never retransmitted). The same code drives every server.
/// </summary>
internal sealed class ProxyLoadGenerator
{
    private readonly StringBuilder _summary = new();
    private int _runs;

    /// <summary>OPTIONS to a user at the sink: a proxy forwards it to the Request-URI.</summary>
    public static Func<int, string> Options(int sinkPort) => localPort =>
        $"OPTIONS sip:sink@127.0.0.1:{sinkPort} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:{localPort};branch=z9hG4bK-g00000000;rport\r\n" +
        "Max-Forwards: 70\r\nFrom: <sip:gen@127.0.0.1>;tag=g1\r\nTo: <sip:sink@127.0.0.1>\r\n" +
        "Call-ID: g00000000@bench\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

    /// <summary>
    /// REGISTER of one of 4096 addresses-of-record (index mod 4096), a new Call-ID each time, the same Contact for an
    /// address-of-record in every run (a refresh of one binding, never a growing list).
    /// </summary>
    public static Func<int, string> Register(string domain) => localPort =>
        $"REGISTER sip:{domain} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:{localPort};branch=z9hG4bK-g00000000;rport\r\n" +
        $"Max-Forwards: 70\r\nFrom: <sip:u00000000@{domain}>;tag=g1\r\nTo: <sip:u00000000@{domain}>\r\n" +
        $"Call-ID: g00000000@bench\r\nCSeq: 1 REGISTER\r\nContact: <sip:u00000000@127.0.0.1:5999>\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n";

    public int Run(IPEndPoint target, Func<int, string> template, int count, int window, string label)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // A Call-ID suffix per run: a registrar rejects a REGISTER whose Call-ID it saw with a CSeq not lower (§10.3 step 7).
        string text = template(((IPEndPoint)s.LocalEndPoint!).Port).Replace("@bench", FormattableString.Invariant($"-{++_runs}@bench"), StringComparison.Ordinal);
        byte[] send = Encoding.ASCII.GetBytes(text);
        bool[] answered = new bool[count];
        SocketAddress to = target.Serialize();
        byte[] recv = new byte[8192];
        int next = 0, done = 0, lost = 0, not200 = 0;
        string firstOther = "";
        long start = Stopwatch.GetTimestamp();
        while (next < Math.Min(window, count)) Send(s, to, send, next++);
        s.ReceiveTimeout = 200;
        while (done + lost < count)
        {
            int n;
            try
            {
                n = s.Receive(recv);
            }
            catch (SocketException)
            {
                int outstanding = next - done - lost;
                lost += outstanding;
                for (int i = 0; i < outstanding && next < count; i++) Send(s, to, send, next++);
                continue;
            }
            ReadOnlySpan<byte> r = recv.AsSpan(0, n);
            int index = IndexOf(r);
            if (index < 0 || index >= count || answered[index]) continue;
            answered[index] = true;
            done++;
            if (!r.StartsWith("SIP/2.0 200 "u8) && not200++ == 0) firstOther = Encoding.ASCII.GetString(r[..Math.Max(0, r.IndexOf("\r\n"u8))]);
            if (next < count) Send(s, to, send, next++);
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        _summary.AppendLine(FormattableString.Invariant(
            $"{label}: {done / seconds:F0} requests/s answered ({count} sent, window {window}), lost {lost}, non-200 {not200} {firstOther}"));
        return done;
    }

    public string Summary() => _summary.ToString();

    private static void Send(Socket s, SocketAddress to, byte[] message, int index)
    {
        Span<byte> m = message;
        PatchAll(m, "z9hG4bK-g"u8, index);
        PatchAll(m, "Call-ID: g"u8, index);
        PatchAll(m, "sip:u"u8, index % 4096);
        s.SendTo(m, SocketFlags.None, to);
    }

    private static void PatchAll(Span<byte> message, ReadOnlySpan<byte> marker, int value)
    {
        int from = 0;
        while (true)
        {
            int at = message[from..].IndexOf(marker);
            if (at < 0) return;
            at += from + marker.Length;
            int v = value;
            for (int d = 7; d >= 0; d--)
            {
                message[at + d] = (byte)('0' + v % 10);
                v /= 10;
            }
            from = at + 8;
        }
    }

    private static int IndexOf(ReadOnlySpan<byte> response)
    {
        int at = response.IndexOf("branch=z9hG4bK-g"u8);
        if (at < 0 || at + 16 + 8 > response.Length) return -1;
        return int.TryParse(response.Slice(at + 16, 8), out int i) ? i : -1;
    }
}
