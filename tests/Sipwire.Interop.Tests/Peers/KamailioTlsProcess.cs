// Kamailio on 127.0.0.1 serving SIP over TLS (kamailio-tls-modules, tls.cfg written by the test) as registrar and record-routing proxy.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sipwire.Interop.Tests.Peers;

/// <summary>
/// Kamailio with a TLS listener presenting <c>certificateFile</c> (a PEM chain) and a UDP listener on the same
/// port for the readiness probe; users alice/wonderland and bob/builder register with digest and call each other.
/// Kamailio's own TLS client (towards the UAs' contacts) does not verify certificates: the tests check ours.
/// </summary>
internal sealed class KamailioTlsProcess : PeerProcess
{
    private const string Binary = "/usr/sbin/kamailio";
    private const string ModulePath = "/usr/lib/x86_64-linux-gnu/kamailio/modules/";

    public KamailioTlsProcess(string certificateFile, string keyFile)
        : base("kamailio-tls")
    {
        Require(Binary, "kamailio");
        Require(ModulePath + "tls.so", "kamailio-tls-modules");
        Port = FreeUdpPort();
        string tlsCfg = Path.Combine(Directory, "tls.cfg");
        // Kamailio tls module config (its README, "config" parameter): one server and one client profile.
        File.WriteAllText(tlsCfg,
            "[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n" +
            $"private_key = {keyFile}\ncertificate = {certificateFile}\n\n" +
            "[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n");
        string cfg = Path.Combine(Directory, "kamailio.cfg");
        File.WriteAllText(cfg, Config(Port, tlsCfg));
        Start(Binary, $"-f {cfg} -DD -E -Y {Directory} -m 32 -M 8");
        WaitReady();
    }

    public int Port { get; }

    /// <summary>The TLS listener as an outbound-proxy URI.</summary>
    public string TlsUri => $"sip:127.0.0.1:{Port};transport=tls";

    private void WaitReady()
    {
        WaitForSipAnswer(Port, "Kamailio to answer on its UDP port");
        var target = new IPEndPoint(IPAddress.Loopback, Port);
        // The TLS listener starts with the UDP one; wait until it accepts connections too.
        WaitFor(() =>
        {
            using var t = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                t.Connect(target);
                return true;
            }
            catch (SocketException)
            {
                System.Threading.Thread.Sleep(50);
                return false;
            }
        }, TimeSpan.FromSeconds(5), "Kamailio's TLS port");
    }

    private static string Config(int port, string tlsCfg)
    {
        var b = new StringBuilder();
        b.Append("#!KAMAILIO\n");
        b.Append("debug=2\nlog_stderror=yes\nmemdbg=5\nmemlog=5\nchildren=2\ntcp_children=2\nauto_aliases=no\n");
        b.Append("enable_tls=yes\n");
        b.Append($"listen=udp:127.0.0.1:{port}\nlisten=tls:127.0.0.1:{port}\n");
        b.Append("alias=\"example.test\"\n");
        b.Append($"mpath=\"{ModulePath}\"\n");
        foreach (string m in new[] { "tls", "kex", "corex", "tm", "sl", "rr", "pv", "maxfwd", "textops", "siputils", "xlog", "sanity", "usrloc", "registrar", "auth" })
        {
            b.Append($"loadmodule \"{m}.so\"\n");
        }
        b.Append($"modparam(\"tls\", \"config\", \"{tlsCfg}\")\n");
        b.Append("modparam(\"usrloc\", \"db_mode\", 0)\n");
        b.Append("modparam(\"registrar\", \"max_expires\", 3600)\n");
        b.Append("modparam(\"rr\", \"append_fromtag\", 1)\n");
        b.Append("""
            request_route {
                if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
                xlog("L_INFO", "REQ $rm $ru from $pr:$si:$sp\n");
                if (has_totag()) {
                    if (loose_route()) { t_relay(); exit; }
                    if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
                    sl_send_reply("404", "Not here");
                    exit;
                }
                if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
                if (is_method("REGISTER")) {
                    $var(pw) = "";
                    if ($au == "alice") { $var(pw) = "wonderland"; }
                    if ($au == "bob") { $var(pw) = "builder"; }
                    if (!pv_auth_check("example.test", "$var(pw)", "0", "1")) {
                        auth_challenge("example.test", "1");
                        exit;
                    }
                    consume_credentials();
                    xlog("L_INFO", "SAVE user=$au proto=$pr expires=$hdr(Expires) contact=$ct\n");
                    if (!save("location")) { sl_reply_error(); }
                    exit;
                }
                remove_hf("Route");
                record_route();
                if (uri == myself) {
                    if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
                }
                xlog("L_INFO", "RELAY $rm to $ru via $pr\n");
                if (!t_relay()) { sl_reply_error(); }
                exit;
            }

            """);
        return b.ToString();
    }
}
