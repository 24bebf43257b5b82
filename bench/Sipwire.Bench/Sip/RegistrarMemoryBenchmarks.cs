// Memory per registration of the in-memory location service holding 100,000 registrations, against a plain string-based table.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Sipwire.Location;

namespace Sipwire.Bench.Sip;

/// <summary>
/// Fills a location table with 100,000 addresses-of-record, one contact each, from the UTF-8 fields a
/// parsed REGISTER provides. [OperationsPerInvoke] makes "Allocated" read as bytes per registration,
/// and the baseline is what a straightforward C# registrar keeps: a Dictionary of Lists of bindings
/// with one string per field. The retained size (what stays on the heap once the table is full,
/// measured with GC.GetTotalMemory deltas) is printed by the global setup for both, per registration.
/// </summary>
[MemoryDiagnoser]
public class RegistrarMemoryBenchmarks
{
    private const int Registrations = 100_000;
    private const long Now = 1_000_000;
    private byte[][] _aor = [];
    private byte[][] _contact = [];
    private byte[][] _callId = [];
    private byte[][] _received = [];

    [GlobalSetup]
    public void Setup()
    {
        _aor = new byte[Registrations][];
        _contact = new byte[Registrations][];
        _callId = new byte[Registrations][];
        _received = new byte[Registrations][];
        for (int i = 0; i < Registrations; i++)
        {
            string n = i.ToString("D6", CultureInfo.InvariantCulture);
            string ip = $"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}";
            _aor[i] = Encoding.ASCII.GetBytes($"sip:user{n}@example.test");
            _contact[i] = Encoding.ASCII.GetBytes($"sip:user{n}@{ip}:5060;transport=udp");
            _callId[i] = Encoding.ASCII.GetBytes($"{Guid.NewGuid():N}@{ip}");
            _received[i] = Encoding.ASCII.GetBytes($"udp:{ip}:5060");
        }
        Console.WriteLine($"// RETAINED bytes/registration: Naive={Retained(() => FillNaive()):F1} InMemory={Retained(() => FillInMemory()):F1}");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Registrations)]
    public object FillNaive() => FillNaiveTable();

    [Benchmark(OperationsPerInvoke = Registrations)]
    public object FillInMemory() => FillInMemoryTable();

    private Dictionary<string, List<NaiveBinding>> FillNaiveTable()
    {
        var table = new Dictionary<string, List<NaiveBinding>>(StringComparer.Ordinal);
        for (int i = 0; i < Registrations; i++)
        {
            var b = new NaiveBinding
            {
                Contact = Encoding.ASCII.GetString(_contact[i]),
                CallId = Encoding.ASCII.GetString(_callId[i]),
                Received = Encoding.ASCII.GetString(_received[i]),
                CSeq = 1,
                QMillis = -1,
                ExpiresAtMs = Now + 3_600_000,
            };
            table.Add(Encoding.ASCII.GetString(_aor[i]), [b]);
        }
        return table;
    }

    private InMemoryLocationService FillInMemoryTable()
    {
        var store = new InMemoryLocationService(new LocationLimits { MaxAddressesOfRecord = Registrations });
        var change = new LocationBinding[1];
        for (int i = 0; i < Registrations; i++)
        {
            change[0] = new LocationBinding(_contact[i], default, _callId[i], 1, -1, Now + 3_600_000, default, default, -1, _received[i]);
            LocationUpdateStatus s = store.Update(Encoding.ASCII.GetString(_aor[i]), change, false, _callId[i], 1, Now, null);
            if (s != LocationUpdateStatus.Ok) throw new InvalidOperationException(s.ToString());
        }
        return store;
    }

    private static double Retained(Func<object> fill)
    {
        long before = GC.GetTotalMemory(true);
        object table = fill();
        long after = GC.GetTotalMemory(true);
        GC.KeepAlive(table);
        return (after - before) / (double)Registrations;
    }

    private sealed class NaiveBinding
    {
        public string Contact { get; init; } = "";
        public string CallId { get; init; } = "";
        public string Received { get; init; } = "";
        public string? Path { get; init; }
        public string? InstanceId { get; init; }
        public uint CSeq { get; init; }
        public int QMillis { get; init; }
        public int RegId { get; init; } = -1;
        public long ExpiresAtMs { get; init; }
    }
}
