// VAD/NS evaluation tool: our Vad and NoiseSuppressor vs SpeexDSP's preprocessor on the same noisy speech, one process.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Sipwire.Dsp.Tests;

namespace Sipwire.VadNsEval;

internal static class Program
{
    private static int Main(string[] args)
    {
        string outDir = "vadns-eval-out";
        string text = VadNsComparison.LongText;
        var rates = new List<int> { 8000, 16000 };
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            switch (a)
            {
                case "--out": outDir = Next(); break;
                case "--short": text = VadNsComparison.ShortText; break;
                case "--rate":
                    rates.Clear();
                    rates.Add(int.Parse(Next(), CultureInfo.InvariantCulture));
                    break;
                default:
                    Console.Error.WriteLine($"vadns-eval: unknown option {a} (options: --out DIR, --rate 8000|16000, --short)");
                    return 2;
            }
        }
        try
        {
            Directory.CreateDirectory(outDir);
            var csv = new StringBuilder("rate,noise,snr_db,vad_acc_ours,vad_acc_speex,vad_missed_ours,vad_missed_speex,vad_fa_ours,vad_fa_speex," +
                "ns_segsnr_gain_ours,ns_segsnr_gain_speex,ns_pause_nr_ours,ns_pause_nr_speex,ns_speech_db_ours,ns_speech_db_speex\n");
            var table = new StringBuilder();
            table.AppendLine("| rate | noise | SNR | VAD acc ours / Speex | missed | false alarm | NS segSNR gain dB | noise cut in pauses dB | speech level dB |");
            table.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (int rate in rates)
            {
                short[] speech = VadNsComparison.Speech(rate, text, outDir);
                foreach (VadNsComparison.NoiseKind kind in Enum.GetValues<VadNsComparison.NoiseKind>())
                {
                    foreach (int snr in (int[])[0, 5, 10, 20])
                    {
                        VadNsComparison.Result r = VadNsComparison.Compare(rate, speech, kind, snr, 1);
                        table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                            $"| {rate} | {kind} | {snr} | {r.OurVad.Accuracy:F2} / {r.SpeexVad.Accuracy:F2} | {r.OurVad.Missed:F2} / {r.SpeexVad.Missed:F2} | {r.OurVad.FalseAlarm:F2} / {r.SpeexVad.FalseAlarm:F2} | " +
                            $"{r.OurNs.SegSnrGainDb:F1} / {r.SpeexNs.SegSnrGainDb:F1} | {r.OurNs.PauseNoiseReductionDb:F1} / {r.SpeexNs.PauseNoiseReductionDb:F1} | {r.OurNs.SpeechLevelDb:F1} / {r.SpeexNs.SpeechLevelDb:F1} |"));
                        csv.AppendLine(string.Create(CultureInfo.InvariantCulture,
                            $"{rate},{kind},{snr},{r.OurVad.Accuracy:F4},{r.SpeexVad.Accuracy:F4},{r.OurVad.Missed:F4},{r.SpeexVad.Missed:F4},{r.OurVad.FalseAlarm:F4},{r.SpeexVad.FalseAlarm:F4}," +
                            $"{r.OurNs.SegSnrGainDb:F2},{r.SpeexNs.SegSnrGainDb:F2},{r.OurNs.PauseNoiseReductionDb:F2},{r.SpeexNs.PauseNoiseReductionDb:F2},{r.OurNs.SpeechLevelDb:F2},{r.SpeexNs.SpeechLevelDb:F2}"));
                    }
                }
            }
            Console.Write(table);
            File.WriteAllText(Path.Combine(outDir, "summary.md"), table.ToString());
            File.WriteAllText(Path.Combine(outDir, "results.csv"), csv.ToString());
            Console.WriteLine($"wrote {Path.Combine(outDir, "summary.md")} and results.csv");
            return 0;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or InvalidDataException or DllNotFoundException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"vadns-eval: {ex.Message}");
            return 1;
        }
    }
}
