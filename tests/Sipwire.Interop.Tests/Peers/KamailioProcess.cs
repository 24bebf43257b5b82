// Kamailio on 127.0.0.1 as registrar (usrloc in memory, digest with fixed passwords) and record-routing proxy.
// SPDX-License-Identifier: MIT

using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sipwire.Interop.Tests.Peers;

internal sealed class KamailioProcess : PeerProcess
{
    public const string Domain = "example.test";
    private const string Binary = "/usr/sbin/kamailio";
    private const string ModulePath = "/usr/lib/x86_64-linux-gnu/kamailio/modules/";

    /// <summary>
    /// Starts Kamailio with users alice/wonderland and bob/builder; <paramref name="minExpires"/> bounds REGISTER.
    /// With <paramref name="challengeCalls"/>, alice's INVITEs and BYEs need proxy credentials (407, RFC 3261 §22.3).
    /// </summary>
    public KamailioProcess(int minExpires = 10, bool challengeCalls = false)
        : base("kamailio")
    {
        Require(Binary, "kamailio");
        Port = FreeUdpPort();
        string cfg = Path.Combine(Directory, "kamailio.cfg");
        File.WriteAllText(cfg, Config(Port, minExpires, challengeCalls));
        // -DD: no daemon, no fork of the main process; -E: log to stderr (captured in Output).
        Start(Binary, $"-f {cfg} -DD -E -Y {Directory} -m 32 -M 8");
        WaitForSipAnswer(Port, "Kamailio to answer on its UDP port");
    }

    public int Port { get; }

    public string Uri => $"sip:127.0.0.1:{Port}";

    private static string Config(int port, int minExpires, bool challengeCalls)
    {
        var b = new StringBuilder();
        b.Append("#!KAMAILIO\n");
        b.Append("debug=2\nlog_stderror=yes\nmemdbg=5\nmemlog=5\nchildren=2\ntcp_children=2\nauto_aliases=no\n");
        b.Append($"listen=udp:127.0.0.1:{port}\nlisten=tcp:127.0.0.1:{port}\n");
        b.Append($"alias=\"{Domain}\"\n");
        b.Append($"mpath=\"{ModulePath}\"\n");
        foreach (string m in new[] { "kex", "corex", "tm", "sl", "rr", "pv", "maxfwd", "textops", "siputils", "xlog", "sanity", "usrloc", "registrar", "auth" })
        {
            b.Append($"loadmodule \"{m}.so\"\n");
        }
        b.Append("modparam(\"usrloc\", \"db_mode\", 0)\n");
        b.Append($"modparam(\"registrar\", \"min_expires\", {minExpires})\n");
        b.Append("modparam(\"registrar\", \"max_expires\", 3600)\n");
        // RFC 3327 §5.3: Path of a REGISTER kept with the binding (lookup turns it into Route); echoed when the UA supports it.
        b.Append("modparam(\"registrar\", \"use_path\", 1)\nmodparam(\"registrar\", \"path_mode\", 1)\n");
        b.Append("modparam(\"rr\", \"append_fromtag\", 1)\n");
        b.Append("""
            request_route {
                if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
                xlog("L_INFO", "REQ $rm $ru from $si:$sp\n");
                if (has_totag()) {
                    #CALLAUTH_BYE#
                    # RFC 3261 §16.12: in-dialog requests follow the Route set recorded at set-up.
                    if (loose_route()) { t_relay(); exit; }
                    if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
                    sl_send_reply("404", "Not here");
                    exit;
                }
                if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
                if (is_method("REGISTER")) {
                    # Digest (RFC 3261 §22.4) with fixed passwords, no database.
                    $var(pw) = "";
                    if ($au == "alice") { $var(pw) = "wonderland"; }
                    if ($au == "bob") { $var(pw) = "builder"; }
                    if (!pv_auth_check("example.test", "$var(pw)", "0", "1")) {
                        xlog("L_INFO", "CHALLENGE $ci user=$fU\n");
                        auth_challenge("example.test", "1");
                        exit;
                    }
                    consume_credentials();
                    xlog("L_INFO", "SAVE user=$au expires=$hdr(Expires) contact=$ct path=$hdr(Path)\n");
                    if (!save("location")) { sl_reply_error(); }
                    exit;
                }
                #CALLAUTH_INVITE#
                # As Kamailio's default config: a preloaded Route (an outbound proxy's pushed Route naming us) is dropped.
                remove_hf("Route");
                record_route();
                if (uri == myself) {
                    if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
                }
                if (!t_relay()) { sl_reply_error(); }
                exit;
            }

            """);
        // RFC 3261 §22.3: proxy authentication of alice's calls (pv_proxy_authenticate / proxy_challenge, qop=auth).
        string check = """
            $var(pw) = "";
                    if ($au == "alice") { $var(pw) = "wonderland"; }
                    if (!pv_proxy_authenticate("example.test", "$var(pw)", "0")) {
                        xlog("L_INFO", "PROXY-CHALLENGE $rm $ci cseq=$cs\n");
                        proxy_challenge("example.test", "1");
                        exit;
                    }
                    xlog("L_INFO", "PROXY-AUTH-OK $rm $ci cseq=$cs\n");
                    consume_credentials();
            """;
        // §16.4 / §8.1.2: the preloaded Route naming us is dropped from an initial request before it is relayed.
        b.Replace("#CALLAUTH_INVITE#", challengeCalls ? "if (is_method(\"INVITE\") && $fU == \"alice\") {\n" + check + "\n}\nremove_hf(\"Route\");" : "");
        b.Replace("#CALLAUTH_BYE#", challengeCalls ? "if (is_method(\"BYE\") && $fU == \"alice\") {\n" + check + "\n}" : "");
        return b.ToString();
    }
}
