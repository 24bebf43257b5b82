// Parse a message and read its hot fields: Sipwire against libosip2 (the baseline) in the same run.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Sipwire.Sip;

namespace Sipwire.Bench.Sip;

/// <summary>
/// Parses the typical messages of tests/vectors/sip/typical (an 898-byte INVITE with SDP, a 200 OK,
/// a REGISTER) and reads top Via branch, Call-ID, CSeq and From tag. libosip2 does the same through
/// bench/native/osip and is the baseline of every ratio.
/// </summary>
[MemoryDiagnoser]
public class SipParseBenchmarks
{
    private byte[] _bytes = [];
    private readonly SipMessage _message = new();

    /// <summary>The message file under tests/vectors/sip/typical.</summary>
    [Params("invite-sdp", "ok200", "register")]
    public string Message { get; set; } = "invite-sdp";

    [GlobalSetup]
    public void Setup()
    {
        _bytes = File.ReadAllBytes(Path.Combine(VectorsDirectory(), Message + ".dat"));
        if (OsipBaseline.ParseRead(_bytes) <= 0) throw new InvalidOperationException("libosip2 rejected " + Message);
        if (Sipwire() <= 0) throw new InvalidOperationException("Sipwire rejected " + Message);
    }

    [Benchmark(Baseline = true, Description = "libosip2 parse+read")]
    public int Libosip2() => OsipBaseline.ParseRead(_bytes);

    [Benchmark(Description = "Sipwire parse+read")]
    public int Sipwire()
    {
        SipParseResult r = SipParser.Parse(_bytes.AsMemory(), SipFraming.Datagram, _message);
        if (!r.IsDone) return -1;
        return _message.TopVia.Branch.Length + _message.CallId.Length + (int)_message.CSeqNumber + _message.From.Tag.Length;
    }

    private static string VectorsDirectory([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "..", "tests", "vectors", "sip", "typical"));
}
