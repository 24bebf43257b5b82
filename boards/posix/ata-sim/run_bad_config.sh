#!/bin/sh
# SPDX-License-Identifier: MIT
# ata-sim refuses bad configuration with exit status 2 and names the problem.
# usage: run_bad_config.sh "EMULATOR" ATA_SIM CONFIG_DIR
set -u
emu=$1
ata=$2
tmp=$(mktemp -d)
fail=0
check() { # name, config text, expected message part
  printf '%s\n' "$2" >"$tmp/c.conf"
  msg=$($emu "$ata" "$tmp/c.conf" 2>&1); rc=$?
  case "$msg" in *"$3"*) ;; *) echo "FAIL $1: message '$msg' lacks '$3'"; fail=1 ;; esac
  [ $rc -eq 2 ] || { echo "FAIL $1: exit $rc, expected 2"; fail=1; }
}
check unknown_key "colour = red" "unknown key 'colour'"
check no_equals "aor sip:a@b" "expected 'key = value'"
check bad_number "udp_port = five" "is not a number"
check no_registrar "aor = sip:a@demo.test" "needs aor and registrar"
check bad_registrar "aor = sip:a@demo.test
registrar = sip:registrar.example.com" "IP-address host"
check bad_aor "aor = mailto:a@demo.test
registrar = sip:127.0.0.1:5060" "not a sip: or sips: URI"
check bad_bind "bind = not-an-ip
registrar_role = demo.test" "not an IPv4 or IPv6 address"
check bad_rate "sample_rate = 44100" "sample_rate must be 8000 or 16000"
check bad_frame "frame_ms = 30" "frame_ms must be 10 or 20"
check odd_rtp_port "rtp_port = 26001" "rtp_port must be an even port"
check bad_codec "registrar_role = demo.test
rtp_port = 26000
codecs = pcmu,gsm" "'gsm' is not one of"
check missing_wav "registrar_role = demo.test
rtp_port = 26000
play_wav = $tmp/none.wav" "cannot open"
printf 'RIFF\044\000\000\000WAVEfmt \020\000\000\000\001\000\002\000\100\037\000\000\000\175\000\000\004\000\020\000data\000\000\000\000' >"$tmp/stereo.wav"
check stereo_wav "registrar_role = demo.test
rtp_port = 26000
play_wav = $tmp/stereo.wav" "give mono 16-bit PCM"
$emu "$ata" "$tmp/missing.conf" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL missing config"; fail=1; }
rm -rf "$tmp"
[ $fail -eq 0 ] && echo "PASS"
exit $fail
