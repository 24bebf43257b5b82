// The audio of `sipwire ua` calls: a media session per call, paced every 20 ms, playing a WAV file or a tone and recording what arrives.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Sipwire.Dsp.Audio;
using Sipwire.Media.Session;
using Sipwire.UserAgent;

namespace Sipwire.Cli;

/// <summary>
/// Attaches a <see cref="CallMedia"/> to every call of the run and pumps its audio on one thread
/// at the 20 ms frame clock: the play source (the --play file, looped, or a 1 kHz tone) goes out,
/// what the jitter buffer and decoder deliver is recorded (--record, written when the run ends).
/// The media sessions are thread-safe, so the SIP thread's call events and this pump may interleave.
/// </summary>
internal sealed class UaMedia : IDisposable
{
    private const int FrameMs = 20;

    private readonly object _sync = new();
    private readonly List<CallMedia> _calls = [];
    private readonly List<short> _recording = [];
    private readonly Action<string, string> _log;
    private readonly string? _recordFile;
    private readonly short[] _play;
    private readonly int _sampleRate;
    private readonly Thread _pump;
    private readonly long _start = Stopwatch.GetTimestamp();
    private volatile bool _stop;
    private int _playPosition;

    private UaMedia(short[] play, int sampleRate, string? recordFile, Action<string, string> log)
    {
        _play = play;
        _sampleRate = sampleRate;
        _recordFile = recordFile;
        _log = log;
        _pump = new Thread(Pump) { IsBackground = true, Name = "sipwire-ua-media" };
    }

    /// <summary>Loads the play file (or builds the tone); a bad file gives false and a clear error.</summary>
    public static bool TryCreate(UaMediaSettings settings, Action<string, string> log, out UaMedia? media, out string error)
    {
        media = null;
        error = "";
        short[] play;
        int rate;
        if (settings.PlayFile is string path)
        {
            try
            {
                play = WavFile.Read(path, out rate);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
            {
                error = $"--play {path}: {ex.Message}";
                return false;
            }
            if (rate is not 8000 and not 16000)
            {
                error = $"--play {path}: {rate} Hz; give a mono PCM16 WAV at 8000 or 16000 Hz";
                return false;
            }
            if (play.Length == 0)
            {
                error = $"--play {path}: the file holds no samples";
                return false;
            }
        }
        else
        {
            // One second of 1 kHz at -12 dBFS: a whole number of periods, so it loops seamlessly.
            rate = 16000;
            play = new short[rate];
            double peak = 32768 * Math.Pow(10, -12 / 20.0);
            for (int i = 0; i < play.Length; i++) play[i] = (short)Math.Round(peak * Math.Sin(2 * Math.PI * 1000 * i / rate));
        }
        media = new UaMedia(play, rate, settings.RecordFile, log);
        return true;
    }

    /// <summary>Gives <paramref name="call"/> its media (started on answer or early media, stopped when it ends).</summary>
    public void Attach(SipCall call)
    {
        // One clock for the call events (start, stop), the receive side (Poll) and the audio frames.
        var media = new CallMedia(call, new MediaSessionOptions { SampleRate = _sampleRate, FrameMs = FrameMs }, clock: NowUs);
        media.Failed += reason => _log("media", $"{call.CallId} {reason}");
        media.EventRaised += e =>
        {
            if (e.Kind == MediaSessionEventKind.DtmfEnd) _log("media", $"{call.CallId} DTMF {e.Digit} {e.DurationMs} ms");
            else if (e.Kind == MediaSessionEventKind.RemoteLatched) _log("media", $"{call.CallId} RTP from {e.Remote}");
        };
        lock (_sync)
        {
            _calls.Add(media);
            // The pump runs from the first call on; a run without calls never starts it.
            if (!_pump.IsAlive && !_stop) _pump.Start();
        }
    }

    /// <summary>Stops the pump and the calls' media, and writes the recording.</summary>
    public void Dispose()
    {
        lock (_sync) _stop = true;
        if (_pump.IsAlive) _pump.Join();
        lock (_sync)
        {
            foreach (CallMedia m in _calls) m.Dispose();
            _calls.Clear();
        }
        if (_recordFile is not null)
        {
            try
            {
                WavFile.Write(_recordFile, _recording.ToArray(), _sampleRate);
                _log("media", $"recorded {_recording.Count * 1000L / _sampleRate} ms to {_recordFile}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _log("media", $"--record {_recordFile}: {ex.Message}");
            }
        }
    }

    private long NowUs() => (Stopwatch.GetTimestamp() - _start) * 1_000_000 / Stopwatch.Frequency;

    private void Pump()
    {
        int frame = _sampleRate * FrameMs / 1000;
        short[] speaker = new short[frame];
        short[] mic = new short[frame];
        long start = _start;
        long period = Stopwatch.Frequency * FrameMs / 1000;
        for (long tick = 1; !_stop; tick++)
        {
            MediaSession? session = null;
            lock (_sync)
            {
                foreach (CallMedia m in _calls)
                {
                    m.Poll();
                    session ??= m.Session;
                }
            }
            if (session is not null && !session.IsStopped)
            {
                long now = NowUs();
                session.ReadAudio(speaker, now);
                if (_recordFile is not null) _recording.AddRange(speaker);
                for (int i = 0; i < frame; i++)
                {
                    mic[i] = _play[_playPosition];
                    _playPosition = (_playPosition + 1) % _play.Length;
                }
                session.WriteAudio(mic, now);
            }
            long wait = (start + (tick * period) - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            if (wait > 0) Thread.Sleep((int)wait);
        }
    }
}
