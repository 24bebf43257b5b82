// baresip (Debian baresip-core) as the far phone: own config folder, no audio devices (ausine in, aufile out), driven over ctrl_tcp.
// SPDX-License-Identifier: MIT

using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace Sipwire.Interop.Tests.Peers;

internal sealed class BaresipProcess : PeerProcess
{
    private const string Binary = "/usr/bin/baresip";
    private const string ModulePath = "/usr/lib/baresip/modules";
    private readonly List<string> _messages = [];
    private TcpClient? _control;
    private Thread? _reader;
    private int _commands;

    /// <summary>Starts baresip as bob@example.test registered to <paramref name="kamailioPort"/> (password builder), answering automatically or not.</summary>
    /// <param name="kamailioPort">Kamailio's UDP port (outbound proxy and registrar).</param>
    /// <param name="autoAnswer">Answer incoming calls at once.</param>
    /// <param name="sipTrace">Print every SIP message sent and received (-s) to <see cref="PeerProcess.Output"/>.</param>
    public BaresipProcess(int kamailioPort, bool autoAnswer, bool sipTrace = false)
        : base("baresip")
    {
        Require(Binary, "baresip-core");
        foreach (string m in new[] { "g711", "aufile", "account", "contact", "menu", "ctrl_tcp" })
        {
            Require(Path.Combine(ModulePath, m + ".so"), "baresip-core");
        }
        SipPort = FreeUdpPort();
        ControlPort = FreeUdpPort();
        // ausine in baresip 1.0 runs only at 48 kHz; a WAV of 8 kHz silence is the microphone instead.
        string source = Path.Combine(Directory, "source.wav");
        File.WriteAllBytes(source, SilenceWav(8000 * 30));
        File.WriteAllText(Path.Combine(Directory, "config"),
            "poll_method epoll\n" +
            $"sip_listen 127.0.0.1:{SipPort}\n" +
            "net_interface 127.0.0.1\n" +
            $"audio_player aufile,{Path.Combine(Directory, "received.wav")}\n" +
            $"audio_source aufile,{source}\n" +
            $"audio_alert aufile,{Path.Combine(Directory, "alert.wav")}\n" +
            "audio_srate 8000\naudio_channels 1\n" +
            $"module_path {ModulePath}\n" +
            "module g711.so\nmodule aufile.so\n" +
            "module_app account.so\nmodule_app contact.so\nmodule_app menu.so\nmodule_app ctrl_tcp.so\n" +
            $"ctrl_tcp_listen 127.0.0.1:{ControlPort}\n");
        // The contact module's "message" command sends MESSAGE to the current contact: alice.
        File.WriteAllText(Path.Combine(Directory, "contacts"), "\"Alice\" <sip:alice@example.test>\n");
        // RFC 3261 §8.1.2 outbound proxy with loose routing; registers as bob.
        File.WriteAllText(Path.Combine(Directory, "accounts"),
            $"<sip:bob@example.test;transport=udp>;auth_user=bob;auth_pass=builder;outbound=\"sip:127.0.0.1:{kamailioPort};lr\";regint=60;answermode={(autoAnswer ? "auto" : "manual")};audio_codecs=PCMU,PCMA\n");
        // stdbuf (coreutils) execs baresip with unbuffered stdout, so its prints reach us at once.
        Start("/usr/bin/stdbuf", $"-o0 -e0 {Binary} {(sipTrace ? "-s " : "")}-f {Directory}");
    }

    public int SipPort { get; }

    public int ControlPort { get; }

    /// <summary>Every ctrl_tcp message (events and responses) received so far, as JSON text.</summary>
    public string[] Messages
    {
        get
        {
            lock (_messages) return _messages.ToArray();
        }
    }

    public bool HasEvent(string type) => Array.Exists(Messages, m => m.Contains($"\"type\":\"{type}\"", StringComparison.Ordinal));

    public int CountEvents(string type) => Array.FindAll(Messages, m => m.Contains($"\"type\":\"{type}\"", StringComparison.Ordinal)).Length;

    /// <summary>Connects to ctrl_tcp once baresip is up.</summary>
    public void Connect(TimeSpan timeout)
    {
        WaitFor(() => Output.Contains("baresip is ready", StringComparison.Ordinal), timeout, "baresip to start");
        _control = new TcpClient();
        _control.Connect(IPAddress.Loopback, ControlPort);
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "baresip ctrl_tcp" };
        _reader.Start();
    }

    /// <summary>
    /// Sends one command (menu long commands: dial, accept, hangup, hold, resume) and waits for its
    /// response; <paramref name="poll"/> keeps our side running meanwhile. Fails the test when
    /// baresip refuses it or does not answer.
    /// </summary>
    public void Command(string command, string parameters = "", Action? poll = null)
    {
        string token = $"{command}-{++_commands}";
        string json = JsonSerializer.Serialize(new Dictionary<string, string> { ["command"] = command, ["params"] = parameters, ["token"] = token });
        byte[] payload = Encoding.UTF8.GetBytes(json);
        // ctrl_tcp frames JSON as netstrings: "<length>:<payload>,".
        byte[] frame = [.. Encoding.ASCII.GetBytes($"{payload.Length}:"), .. payload, (byte)','];
        _control!.GetStream().Write(frame);
        string? response = null;
        WaitFor(() => (response = Array.Find(Messages, m => m.Contains($"\"token\":\"{token}\"", StringComparison.Ordinal))) is not null,
            TimeSpan.FromSeconds(5), $"baresip's response to '{command} {parameters}'\n{string.Join('\n', Messages)}", poll);
        if (!response!.Contains("\"ok\":true", StringComparison.Ordinal)) NUnit.Framework.Assert.Fail($"baresip refused '{command} {parameters}': {response}");
    }

    private void ReadLoop()
    {
        try
        {
            NetworkStream s = _control!.GetStream();
            var length = new StringBuilder();
            while (true)
            {
                int b = s.ReadByte();
                if (b < 0) return;
                if (b != ':')
                {
                    length.Append((char)b);
                    continue;
                }
                int n = int.Parse(length.ToString(), System.Globalization.CultureInfo.InvariantCulture);
                length.Clear();
                byte[] payload = new byte[n + 1];
                s.ReadExactly(payload);
                lock (_messages) _messages.Add(Encoding.UTF8.GetString(payload, 0, n));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or FormatException or SocketException)
        {
            // baresip went away or the test ended.
        }
    }

    private static byte[] SilenceWav(int samples)
    {
        // RIFF/WAVE, PCM 16-bit mono 8 kHz: "fmt " chunk of 16 bytes, then "data".
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write("RIFF"u8);
        w.Write(36 + samples * 2);
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write((short)1);
        w.Write(8000);
        w.Write(16000);
        w.Write((short)2);
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(samples * 2);
        w.Write(new byte[samples * 2]);
        return ms.ToArray();
    }

    public override void Dispose()
    {
        _control?.Dispose();
        base.Dispose();
    }
}
